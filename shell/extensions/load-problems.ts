import { create } from 'zustand';

/**
 * A plugin problem seen in this browser: a remote that failed to load, a component that threw, or (isolated
 * plugins) a bridge call refused, a flood of calls, a frame that stopped answering.
 */
export interface LoadProblem {
  plugin: string;
  contribution: string;
  code: 'load-failed' | 'render-failed' | 'bridge-refused' | 'bridge-flood' | 'frame-unresponsive';
  message: string;
  at: string;
}

interface LoadProblemsState {
  problems: LoadProblem[];
  report(problem: Omit<LoadProblem, 'at'>): void;
  clear(plugin: string): void;
}

/** Collects non-fatal plugin problems so the Plugins page can show what went wrong in this browser. */
export const useLoadProblems = create<LoadProblemsState>()((set) => ({
  problems: [],
  report: (problem) =>
    set((state) => ({ problems: [...state.problems.slice(-49), { ...problem, at: new Date().toISOString() }] })),
  clear: (plugin) => set((state) => ({ problems: state.problems.filter((p) => p.plugin !== plugin) })),
}));
