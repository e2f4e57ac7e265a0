/** Stops what the global setup started; the second project's call finds nothing left to do. */
export default async function globalTeardown(): Promise<void> {
  const infrastructure = globalThis.canvasTestInfrastructure;
  globalThis.canvasTestInfrastructure = undefined;
  await infrastructure?.stop();
}
