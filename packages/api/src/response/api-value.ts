/** A scalar of a reply: strings are quoted in JSON, numbers and booleans are native. */
export type ApiScalar = string | number | boolean;

/**
 * A value of a reply. `null` and `undefined` fields are omitted from both JSON and XML, as 4.1
 * never emits nulls; arrays repeat their key in XML.
 */
export type ApiValue = ApiScalar | ApiObject | readonly ApiValue[] | null | undefined;

/** An object of a reply: field names exactly as 4.1's `@SerializedName` spells them. */
export interface ApiObject {
  readonly [field: string]: ApiValue;
}

/** A reply body: its top-level key (the response name) and what sits under it. */
export interface ApiBody {
  /** The response name, e.g. `listzonesresponse`, or `errorresponse`. */
  readonly responseName: string;
  /** The fields under the response name. */
  readonly content: ApiObject;
}

/** The two reply formats. */
export type ResponseFormat = 'json' | 'xml';
