import { pino } from 'pino';
import { buildApp } from './app.ts';
import { loadSettings } from './settings.ts';

async function main(): Promise<void> {
  const settings = loadSettings(process.env);
  const logger = pino({ level: settings.logLevel, base: { service: 'dbt-workbench' } });
  const { server } = await buildApp(settings, logger);
  const address = await server.listen({ port: settings.port, host: settings.host });
  logger.info(
    { address, plugins: settings.pluginSystemEnabled ? settings.pluginsDirectory : 'disabled' },
    `dbt-Workbench is ready on ${address}`,
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
