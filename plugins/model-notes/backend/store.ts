// Notes per workspace and model, in one JSON file in the plugin's data folder (the only folder it may write).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Note {
  id: string;
  text: string;
  author: string;
  createdAt: string;
}

type Notes = Record<string, Record<string, Note[]>>;

export interface NoteStore {
  list(workspace: string, model: string): Note[];
  add(workspace: string, model: string, text: string, author: string): Note;
  /** Every model of a workspace with its notes. */
  all(workspace: string): Record<string, Note[]>;
}

export function openNoteStore(dataDir: string): NoteStore {
  const file = path.join(dataDir, 'notes.json');
  let notes: Notes = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Notes) : {};
  const save = () => {
    // Write beside, then rename: a crash mid-write leaves the previous file whole.
    writeFileSync(`${file}.tmp`, JSON.stringify(notes));
    renameSync(`${file}.tmp`, file);
  };
  return {
    list: (workspace, model) => notes[workspace]?.[model] ?? [],
    all: (workspace) => notes[workspace] ?? {},
    add(workspace, model, text, author) {
      const note = {
        id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        text,
        author,
        createdAt: new Date().toISOString(),
      };
      const byModel = (notes[workspace] ??= {});
      byModel[model] = [...(byModel[model] ?? []), note];
      notes = { ...notes };
      save();
      return note;
    },
  };
}
