import type { FastifyInstance } from 'fastify';
import type { SigningKey } from '../../../shared/signing-keys.schema.ts';
import * as api from '../../../shared/http/signing-keys.ts';
import { currentUser, type Guards } from '../../auth/guards.ts';
import type { Database } from '../../db/database.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { HttpError } from '../../http/errors.ts';
import { auditedChange } from '../lifecycle-routes.ts';
import type { PluginRegistry } from '../registry.ts';
import { createSigningKeyStore, parsePublicKey, type TrustedKeys } from './key-store.ts';
import { keyIdFor } from '@dbt-workbench/plugin-sdk/node/keys';

export interface SigningKeyRouteDeps {
  registry: PluginRegistry;
  guards: Guards;
  db: Database;
  trustedKeys: TrustedKeys;
}

/**
 * `GET/POST /api/signing-keys`, `DELETE /api/signing-keys/:id` (instance admins): the public keys plugin signatures
 * are checked against. Adding and removing are audited and re-evaluate every plugin at once.
 */
export function registerSigningKeyRoutes(app: FastifyInstance, deps: SigningKeyRouteDeps): void {
  const { db, guards, registry, trustedKeys } = deps;
  const admin = { guards: [guards.requireUser, guards.requireInstanceAdmin] };
  const store = createSigningKeyStore(db);

  async function list(): Promise<SigningKey[]> {
    const fromSetting: SigningKey[] = [...trustedKeys.fromSetting.values()].map((k) => ({
      keyId: k.keyId,
      ...(k.owner ? { owner: k.owner } : {}),
      publicKey: k.publicKey,
      source: 'setting',
    }));
    return [...fromSetting, ...(await store.list()).filter((k) => !trustedKeys.fromSetting.has(k.keyId))];
  }

  async function changed(): Promise<void> {
    await trustedKeys.reload();
    await registry.refresh();
  }

  contractRoute(app, api.listSigningKeys, admin, async () => ({ keys: await list() }));

  contractRoute(app, api.addSigningKey, admin, async (request, reply) => {
    const body = request.body;
    const parsed = parsePublicKey(body.publicKey);
    if (!parsed.ok) {
      throw new HttpError('bad_request', `The key ${parsed.problem}`, [
        { field: 'publicKey', message: parsed.problem },
      ]);
    }
    const keyId = keyIdFor(parsed.pem);
    const existing = (await list()).find((k) => k.keyId === keyId);
    if (existing) {
      throw new HttpError(
        'conflict',
        `This key is trusted already, as key ${keyId}${existing.owner ? ` of ${existing.owner}` : ''}`,
      );
    }
    const user = currentUser(request);
    await auditedChange(
      db,
      { actor: user, action: 'signing-key.add', target: keyId, details: { owner: body.name } },
      async (tx) => void (await createSigningKeyStore(tx).add(body.name, parsed.pem, user.id)),
    );
    await changed();
    reply.code(201);
    return (await list()).find((k) => k.keyId === keyId)!;
  });

  contractRoute(app, api.removeSigningKey, admin, async (request) => {
    const { id } = request.params;
    if (trustedKeys.fromSetting.has(id)) {
      throw new HttpError('conflict', `Key ${id} comes from PLUGIN_TRUSTED_KEYS: remove it from that file and restart`);
    }
    const key = (await store.list()).find((k) => k.keyId === id);
    if (!key) throw new HttpError('not_found', `No signing key with id "${id}" is trusted`);
    await auditedChange(
      db,
      { actor: currentUser(request), action: 'signing-key.remove', target: id, details: { owner: key.owner } },
      async (tx) => void (await createSigningKeyStore(tx).remove(id)),
    );
    await changed();
    return { keys: await list() };
  });
}
