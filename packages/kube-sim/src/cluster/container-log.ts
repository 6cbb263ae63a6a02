// What a container printed, as the container runtime keeps it for `kubectl logs`: the lines of
// the current run and of the previous one (--previous), each with its time, the last
// MAX_LINES kept; followers (--follow) get new lines until the run ends.

export const MAX_LINES = 10_000;

export interface PodLogOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** A log read: the lines so far, and (when following a running container) a subscription. */
export interface PodLogStream {
  lines: string[];
  follow?: (onLine: (line: string) => void, onEnd: () => void) => () => void;
}

interface Entry {
  time: Date;
  text: string;
}

export class ContainerLog {
  private readonly entries: Entry[] = [];
  private readonly listeners = new Set<{ line: (l: Entry) => void; end: () => void }>();
  private ended = false;

  constructor(private readonly now: () => Date) {}

  append(text: string): void {
    if (this.ended) return;
    for (const line of text.split('\n')) {
      const entry = { time: this.now(), text: line };
      this.entries.push(entry);
      if (this.entries.length > MAX_LINES) this.entries.shift();
      for (const l of this.listeners) l.line(entry);
    }
  }

  /** The run is over: followers are told, and nothing more is appended. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const l of this.listeners) l.end();
    this.listeners.clear();
  }

  read(options: PodLogOptions): PodLogStream {
    const format = (e: Entry) =>
      options.timestamps ? `${e.time.toISOString()} ${e.text}` : e.text;
    let entries = this.entries;
    if (options.sinceSeconds !== undefined) {
      const since = this.now().getTime() - options.sinceSeconds * 1000;
      entries = entries.filter((e) => e.time.getTime() >= since);
    }
    if (options.tailLines !== undefined)
      entries = options.tailLines <= 0 ? [] : entries.slice(-options.tailLines);
    const stream: PodLogStream = { lines: entries.map(format) };
    if (options.follow && !this.ended) {
      stream.follow = (onLine, onEnd) => {
        const listener = { line: (e: Entry) => onLine(format(e)), end: onEnd };
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      };
    }
    return stream;
  }
}
