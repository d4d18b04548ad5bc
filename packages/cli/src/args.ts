import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's arguments; an unknown option or a missing value is a CliError that points at --help. */
export function parse<O extends Options>(command: string, args: string[], options: O, maxPositionals = 1) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > maxPositionals) {
      throw new CliError(
        `${command}: unexpected argument "${parsed.positionals[maxPositionals]}" (see workbench-plugin ${command} --help)`,
      );
    }
    return parsed;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = (error as Error).message.split('\n')[0]!.replace(/\.?$/, '');
    throw new CliError(`${command}: ${message} (see workbench-plugin ${command} --help)`);
  }
}
