// `workbench-plugin keygen` and `workbench-plugin sign`: ed25519 keys and package signatures.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSigningKey } from '@dbt-workbench/plugin-sdk/node/keys';
import { signPluginDirectory } from '@dbt-workbench/plugin-sdk/node/sign';
import { parse } from '../args.ts';
import { CliError, type Command } from '../errors.ts';
import { pluginDirectory, readValidManifest } from '../plugin-dir.ts';

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'make an ed25519 key pair for signing',
  usage: `Usage: workbench-plugin keygen --out <folder> [--owner <who>]

Writes <folder>/<keyId>.private.pem (keep it secret; sign with it) and <folder>/<keyId>.public.json
({keyId, owner, publicKey}: give it to the app's admins, who trust it under Admin → Signing keys or in
PLUGIN_TRUSTED_KEYS).
--owner: who holds the key, shown to admins as the plugin's signer (e.g. "Finance analytics").`,
  async run(args) {
    const { values } = parse('keygen', args, { out: { type: 'string' }, owner: { type: 'string' } }, 0);
    if (!values.out) throw new CliError('keygen: --out <folder> is required (where to write the key pair)');
    const out = path.resolve(values.out);
    mkdirSync(out, { recursive: true });
    const { privateKey, publicKey } = generateSigningKey(values.owner);
    const privateFile = path.join(out, `${publicKey.keyId}.private.pem`);
    const publicFile = path.join(out, `${publicKey.keyId}.public.json`);
    writeFileSync(privateFile, privateKey, { mode: 0o600 });
    writeFileSync(publicFile, `${JSON.stringify(publicKey, null, 2)}\n`);
    console.log(
      `key ${publicKey.keyId}\nprivate ${privateFile} (keep secret)\npublic  ${publicFile} (for PLUGIN_TRUSTED_KEYS)`,
    );
  },
};

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign the package with an ed25519 private key',
  usage: `Usage: workbench-plugin sign [dir] --key <private key .pem> [--key-id <id>]

Computes the canonical digest of the package in [dir] (manifest.json without its signature, plus every
file under frontend/, backend/ and static/; see docs/plugin-authoring.md "Signing") and writes
{algorithm: "ed25519", keyId, value} into manifest.json's "signature". Build first: a later build
changes the files and breaks the signature. --key-id: defaults to the key's fingerprint (as keygen names it).`,
  async run(args) {
    const { positionals, values } = parse('sign', args, { key: { type: 'string' }, 'key-id': { type: 'string' } });
    if (!values.key)
      throw new CliError(
        'sign: --key <private key .pem> is required (make one with "workbench-plugin keygen --out keys")',
      );
    if (!existsSync(values.key)) throw new CliError(`sign: ${values.key} does not exist`);
    const dir = pluginDirectory(positionals[0]);
    const manifest = readValidManifest(dir);
    let signed;
    try {
      signed = await signPluginDirectory(dir, readFileSync(values.key, 'utf8'), values['key-id']);
    } catch (error) {
      throw new CliError(`sign: ${values.key} is not an ed25519 private key in PEM form (${(error as Error).message})`);
    }
    console.log(
      `signed ${manifest.name}@${manifest.version} with key ${signed.signature.keyId} (digest ${signed.digest})`,
    );
  },
};
