// ESLint (flat config): the rules live in packages/eslint-config. `npx eslint .`; the test command runs it.
import config from '@dbt-workbench/eslint-config';

export default config;
