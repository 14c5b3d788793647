import { z } from 'zod';
import { PagingInput } from './paging.js';

/** Input of `createLBStickinessPolicy`. */
export const CreateLbStickinessPolicyInput = z.object({
  /** The load-balancing rule (`lbruleid`). */
  lbRuleId: z.string().min(1),
  /** `LbCookie`, `AppCookie` or `SourceBased`, in any case (`methodname`). */
  methodName: z.string().min(1),
  name: z.string().trim().min(1).max(255),
  description: z.string().max(4096).optional(),
  /** The method's parameters by name (`param[i].name` / `param[i].value`). */
  params: z.record(z.string(), z.string()).default({}),
});
/** Input of `createLBStickinessPolicy`. */
export type CreateLbStickinessPolicyInput = z.input<typeof CreateLbStickinessPolicyInput>;

/** Input of `deleteLBStickinessPolicy`. */
export const LbStickinessPolicyIdInput = z.object({ id: z.string().min(1) });
/** Input of `deleteLBStickinessPolicy`. */
export type LbStickinessPolicyIdInput = z.input<typeof LbStickinessPolicyIdInput>;

/** Input of `listLBStickinessPolicies`. */
export const ListLbStickinessPoliciesInput = PagingInput.extend({
  /** The load-balancing rule whose policy to list (`lbruleid`). */
  lbRuleId: z.string().min(1),
});
/** Input of `listLBStickinessPolicies`. */
export type ListLbStickinessPoliciesInput = z.input<typeof ListLbStickinessPoliciesInput>;
