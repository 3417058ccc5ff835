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
