import { param } from '../params/param-types.js';
import { templatePermissionView } from '../response/template-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';

/** `list…Permissions` of a template (`iso` false) or an ISO: who may launch it (everyone who may see it). */
function listPermissions(name: 'listTemplatePermissions' | 'listIsoPermissions', iso: boolean): CommandDeclaration {
  return defineCommand({
    ...catalogFacts(name),
    kind: 'sync',
    objectName: 'templatepermission',
    description: `List ${iso ? 'iso' : 'template'} visibility and all accounts that have permissions to view this ${iso ? 'iso' : 'template'}.`,
    params: { id: param.uuid(`the ${iso ? 'iso' : 'template'} ID`, { required: true }) },
    async execute(context, params) {
      return { type: 'object', object: templatePermissionView(await context.services.templatePermissions.list({ id: params.id }, iso)) };
    },
  });
}

/** `update…Permissions` of a template or an ISO: shares it with accounts, makes it public, featured or extractable. */
function updatePermissions(name: 'updateTemplatePermissions' | 'updateIsoPermissions', iso: boolean): CommandDeclaration {
  return defineCommand({
    ...catalogFacts(name),
    kind: 'sync',
    description: `Updates ${iso ? 'iso' : 'template'} permissions`,
    params: {
      id: param.uuid('the template ID', { required: true }),
      accounts: param.list('a comma delimited list of accounts. If specified, "op" parameter has to be passed in.'),
      op: param.oneOf('permission operator (add, remove, reset)', ['add', 'remove', 'reset']),
      ispublic: param.boolean('true for public template/iso, false for private templates/isos'),
      isfeatured: param.boolean('true for featured template/iso, false otherwise'),
      isextractable: param.boolean('true if the template/iso is extractable, false other wise. Can be set only by root admin'),
    },
    async execute(context, params) {
      const accounts = params.accounts === undefined || params.accounts.length === 0 ? undefined : params.accounts;
      await context.services.templatePermissions.update(
        { id: params.id, ...defined({ accounts, op: params.op, isPublic: params.ispublic, isFeatured: params.isfeatured, isExtractable: params.isextractable }) },
        iso,
      );
      return { type: 'success' };
    },
  });
}

/** The launch-permission commands of templates and of ISOs. */
export const PERMISSION_COMMANDS: { readonly templates: readonly CommandDeclaration[]; readonly isos: readonly CommandDeclaration[] } = {
  templates: [listPermissions('listTemplatePermissions', false), updatePermissions('updateTemplatePermissions', false)],
  isos: [listPermissions('listIsoPermissions', true), updatePermissions('updateIsoPermissions', true)],
};
