/**
 * Whether a process of this host runs under `pid`: how a lock or lease left by a process that died is told from
 * one whose holder still works. EPERM means it runs, as another user.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
