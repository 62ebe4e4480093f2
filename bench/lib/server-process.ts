import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTimeout, waitingOn } from './watchdog.ts';

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs a bench server script in its own Node process (so the load generator does not share its
 * event loop) and waits for the `{"listening":"http://..."}` line it prints when ready.
 */
export async function startServerProcess(script: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`../servers/${script}`, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const forget = onTimeout(async () => child.kill('SIGKILL'));
  waitingOn(`${script} to start and print its listening line`);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before listening`)));
    lines.on('line', (line) => {
      if (line.startsWith('{"listening"')) resolve((JSON.parse(line) as { listening: string }).listening);
    });
  });
  return {
    url,
    stop: async () => {
      waitingOn(`${script} to stop`);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      forget();
    },
  };
}
