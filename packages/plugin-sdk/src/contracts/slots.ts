import { z } from 'zod';

/** Every place in the shell a plugin can contribute to (SPEC 4.4). */
export const SlotName = z.enum([
  'nav.tab',
  'page',
  'page.widget',
  'model.panel',
  'source.panel',
  'sql.template',
  'sql.panel',
  'sql.control',
  'dashboard.widget',
  'lineage.overlay',
  'lineage.node-action',
]);
export type SlotName = z.infer<typeof SlotName>;

/** Core pages a `page.widget` can be injected into. */
export const WidgetHostPage = z.enum(['dashboard', 'model.detail', 'source.detail', 'run.detail']);
export type WidgetHostPage = z.infer<typeof WidgetHostPage>;

const ContributionId = z
  .string()
  .regex(/^[a-z0-9]+([.-][a-z0-9]+)*$/, 'must be lowercase letters, digits, dots and dashes, like "quality-tab"');

/** An exposed module of the plugin's remote, written as Module Federation expects: `./Name`. */
export const ExposedModule = z
  .string()
  .regex(/^\.\/[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'must name an exposed module like "./DashboardWidget"');

/** A page path inside the shell, below `/ext/`: one or more lowercase segments. */
export const PluginPagePath = z
  .string()
  .regex(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/, 'must be lowercase path segments without a leading slash, like "data-quality"');

const Title = z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters');
const Order = z.number().int('must be a whole number').min(-1000).max(1000);
const IconPath = z.string().min(1);

const base = { id: ContributionId, title: Title.optional() };
const withModule = { ...base, module: ExposedModule };

/** One contribution of `frontend.contributions`: data the shell reads, with code reached through `module`. */
export const Contribution = z.discriminatedUnion('slot', [
  z.object({
    slot: z.literal('nav.tab'),
    ...withModule,
    title: Title,
    path: PluginPagePath,
    icon: IconPath.optional(),
    order: Order.optional(),
  }),
  z.object({ slot: z.literal('page'), ...withModule, path: PluginPagePath }),
  z.object({ slot: z.literal('page.widget'), ...withModule, page: WidgetHostPage, order: Order.optional() }),
  z.object({ slot: z.literal('model.panel'), ...withModule, title: Title }),
  z.object({ slot: z.literal('source.panel'), ...withModule, title: Title }),
  z.object({
    slot: z.literal('sql.template'),
    ...base,
    title: Title,
    sql: z.string().min(1, 'must not be empty').max(20_000),
  }),
  z.object({ slot: z.literal('sql.panel'), ...withModule }),
  z.object({ slot: z.literal('sql.control'), ...withModule }),
  z.object({ slot: z.literal('dashboard.widget'), ...withModule, order: Order.optional() }),
  z.object({ slot: z.literal('lineage.overlay'), ...withModule }),
  z.object({
    slot: z.literal('lineage.node-action'),
    ...withModule,
    title: Title,
    /** What the action applies to: a selected node (the default) or a selected edge. */
    target: z.enum(['node', 'edge']).optional(),
  }),
]);
export type Contribution = z.infer<typeof Contribution>;

/** The contribution type of one slot, e.g. `ContributionOf<'nav.tab'>`. */
export type ContributionOf<S extends SlotName> = Extract<Contribution, { slot: S }>;
