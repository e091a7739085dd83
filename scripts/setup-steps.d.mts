export interface AptLockHolder {
  pid: number;
  name: string;
}
export function aptLockHolders(procRoot?: string, self?: number): AptLockHolder[];
export function waitForAptLock(options: {
  holders?: () => AptLockHolder[];
  timeoutMs: number;
  pollMs?: number;
  log: (message: string) => void;
}): Promise<{ ok: true } | { ok: false; holders: AptLockHolder[] }>;
export function describeHolders(holders: AptLockHolder[]): string;
export function findRustup(env?: NodeJS.ProcessEnv): string | undefined;
export function rustupToolchains(rustup: string): string[];
export function rustInstallPlan(options: {
  rustup: string | undefined;
  toolchains: string[];
  canApt: boolean;
}): ('rustup-target' | 'apt')[];
