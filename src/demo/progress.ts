import cliProgress from 'cli-progress';

/**
 * Progress bars for the long steps, on their own stream (stderr) so the report on stdout
 * stays clean. Where that stream is not a terminal, one line per finished step instead.
 */
export interface Bar {
  increment(by?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

export type ProgressFactory = (label: string, total: number) => Bar;

export function progressOn(stream: NodeJS.WritableStream & { isTTY?: boolean }): ProgressFactory {
  return (label, total) => {
    const started = Date.now();
    let done = 0;
    let size = total;
    if (!stream.isTTY) {
      return {
        increment: (by = 1) => void (done += by),
        setTotal: (t) => void (size = t),
        stop: () => void stream.write(`${label}: ${done}/${size} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`),
      };
    }
    const bar = new cliProgress.SingleBar(
      { format: `${label.padEnd(30)} |{bar}| {value}/{total} {duration_formatted}`, hideCursor: true, stream, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      increment: (by = 1) => bar.increment(by),
      setTotal: (t) => bar.setTotal(t),
      stop: () => bar.stop(),
    };
  };
}

export const noProgress: ProgressFactory = () => ({ increment: () => undefined, setTotal: () => undefined, stop: () => undefined });
