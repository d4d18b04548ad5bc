import { randomUUID } from 'node:crypto';
import type { RunStatus, Schedule, ScheduleDefinition } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import type { Database } from '../db/database.ts';

/** A schedule as stored; `nextRunAt` is the scheduler's to add. */
export type StoredSchedule = Omit<Schedule, 'nextRunAt'>;

interface ScheduleRow {
  id: string;
  workspace: string;
  name: string;
  cron: string;
  timezone: string;
  enabled: number;
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
  last_run_id: string | null;
  last_run_status: string | null;
  last_run_created_at: string | null;
}

const SELECT_SCHEDULE = `SELECT s.id, s.workspace, s.name, s.cron, s.timezone, s.enabled, s.created_at, s.updated_at,
    u.username AS created_by_name, r.id AS last_run_id, r.status AS last_run_status, r.created_at AS last_run_created_at
  FROM schedules s
  LEFT JOIN users u ON u.id = s.created_by
  LEFT JOIN runs r ON r.id = (SELECT id FROM runs WHERE schedule_id = s.id ORDER BY created_at DESC, id DESC LIMIT 1)`;

function toSchedule(row: ScheduleRow): StoredSchedule {
  return {
    id: row.id,
    workspace: row.workspace,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled === 1,
    createdBy: row.created_by_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastRun:
      row.last_run_id && row.last_run_status && row.last_run_created_at
        ? { id: row.last_run_id, status: row.last_run_status as RunStatus, createdAt: row.last_run_created_at }
        : null,
  };
}

/** Schedules in the database. */
export function createSchedulesRepository(db: Database) {
  return {
    async all(): Promise<StoredSchedule[]> {
      return (await db.all<ScheduleRow>(`${SELECT_SCHEDULE} ORDER BY s.workspace, s.name`)).map(toSchedule);
    },

    async list(workspace: string): Promise<StoredSchedule[]> {
      const rows = await db.all<ScheduleRow>(`${SELECT_SCHEDULE} WHERE s.workspace = ? ORDER BY s.name`, [workspace]);
      return rows.map(toSchedule);
    },

    async get(workspace: string, id: string): Promise<StoredSchedule | undefined> {
      const row = await db.get<ScheduleRow>(`${SELECT_SCHEDULE} WHERE s.workspace = ? AND s.id = ?`, [workspace, id]);
      return row && toSchedule(row);
    },

    async nameTaken(workspace: string, name: string, exceptId = ''): Promise<boolean> {
      const row = await db.get('SELECT id FROM schedules WHERE workspace = ? AND name = ? AND id <> ?', [
        workspace,
        name,
        exceptId,
      ]);
      return row !== undefined;
    },

    async insert(workspace: string, definition: ScheduleDefinition, createdBy: string): Promise<StoredSchedule> {
      const id = randomUUID();
      const now = new Date().toISOString();
      await db.run(
        `INSERT INTO schedules (id, workspace, name, cron, timezone, enabled, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          workspace,
          definition.name,
          definition.cron,
          definition.timezone,
          definition.enabled ? 1 : 0,
          createdBy,
          now,
          now,
        ],
      );
      return (await this.get(workspace, id))!;
    },

    async update(workspace: string, id: string, definition: ScheduleDefinition): Promise<StoredSchedule | undefined> {
      await db.run(
        'UPDATE schedules SET name = ?, cron = ?, timezone = ?, enabled = ?, updated_at = ? WHERE workspace = ? AND id = ?',
        [
          definition.name,
          definition.cron,
          definition.timezone,
          definition.enabled ? 1 : 0,
          new Date().toISOString(),
          workspace,
          id,
        ],
      );
      return this.get(workspace, id);
    },

    async remove(workspace: string, id: string): Promise<boolean> {
      const { changes } = await db.run('DELETE FROM schedules WHERE workspace = ? AND id = ?', [workspace, id]);
      return changes === 1;
    },
  };
}

export type SchedulesRepository = ReturnType<typeof createSchedulesRepository>;
