// workbench-plugin: the plugin developer kit's command line (bin.ts runs it): `npx workbench-plugin <command>`, or
// `npm run plugin -- <command>` in the app's repository. Every command has --help.
import { buildCommand } from './commands/build.ts';
import { createCommand } from './commands/create.ts';
import { deployCommand } from './commands/deploy.ts';
import { devCommand } from './commands/dev.ts';
import { packCommand } from './commands/pack.ts';
import { keygenCommand, signCommand } from './commands/sign.ts';
import { validateCommand } from './commands/validate.ts';
import { CliError, type Command } from './errors.ts';

export const commands: Command[] = [
  createCommand,
  buildCommand,
  validateCommand,
  devCommand,
  packCommand,
  deployCommand,
  keygenCommand,
  signCommand,
];

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: workbench-plugin <command> [options]   (in the app's repository: npm run plugin --)

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "workbench-plugin <command> --help" for a command's options. Guide: docs/plugin-authoring.md`;
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) {
      throw new CliError(`unknown command "${name}"; the commands are ${commands.map((c) => c.name).join(', ')}`);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(command.usage);
      return 0;
    }
    await command.run(rest);
    return 0;
  } catch (error) {
    if (error instanceof CliError) console.error(`workbench-plugin: ${error.message}`);
    else console.error(`workbench-plugin ${name}: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    return 1;
  }
}
