/** A mistake the user can fix: the CLI prints its one-line message (what is wrong and how to fix it), exits 1. */
export class CliError extends Error {}

/** One command of the CLI: its usage text and what it does with the arguments after its name. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<void>;
}
