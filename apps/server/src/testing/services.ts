import { it } from '@jest/globals';
/**
 * The rule for tests that need one of the project's services (PostgreSQL,
 * Redis): run when it answers; otherwise skip with a printed reason, except
 * under CI=true, where a missing service is an error.
 */
export async function serviceAvailable(service: { name: string; url: string; setting: string; probe(): Promise<void> }): Promise<boolean> {
  try {
    await service.probe();
    return true;
  } catch (error) {
    const why = `${service.url} (${(error as Error).message})`;
    if (process.env['CI'] === 'true') throw new Error(`${service.name} is required under CI=true: ${why}`, { cause: error });
    console.warn(`Skipping the ${service.name} half: no server at ${why}. Set ${service.setting} to run it.`);
    return false;
  }
}

/**
 * `it` when the service answered, `it.skip` otherwise; under CI=true never a
 * skip: the test runs (and fails) even if the probe's own refusal was bypassed.
 */
export const itWhen = (available: boolean): typeof it.skip => (available || process.env['CI'] === 'true' ? it : it.skip);
