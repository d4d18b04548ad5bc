import { z } from 'zod';

/** A workspace's name, in URLs and the workspaces file: `jaffle-shop`. */
export const WorkspaceName = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase letters, digits and single dashes, like "jaffle-shop"');
