/**
 * A TCP relay on 127.0.0.1 in front of a server, which can stop listening: connections are then
 * refused, as by a host with nothing on the port, and those open are cut. Tests put it between
 * the bot and the fake Bot API to cut Telegram off at the network.
 *
 * @module
 */

/** The relay; create it with {@linkcode TcpGate.start}. */
export class TcpGate implements AsyncDisposable {
  /** `http://127.0.0.1:<port>`: the relay's address, the same while refusing and after. */
  readonly url: string;
  readonly #port: number;
  readonly #target: Deno.ConnectOptions;
  #listener: Deno.TcpListener | null = null;
  #open = new Set<Deno.TcpConn>();

  private constructor(target: Deno.ConnectOptions) {
    this.#target = target;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#port = this.#listener.addr.port;
    this.url = `http://127.0.0.1:${this.#port}`;
    void this.#accept(this.#listener);
  }

  /** Relays to the server at `targetUrl` (only its host and port are used). */
  static start(targetUrl: string): TcpGate {
    const { hostname, port } = new URL(targetUrl);
    return new TcpGate({ hostname, port: Number(port) });
  }

  /** Whether connections are refused now. */
  get refusing(): boolean {
    return this.#listener === null;
  }

  /** Stops listening (new connections are refused) and cuts the connections open. */
  refuse(): void {
    this.#listener?.close();
    this.#listener = null;
    for (const conn of this.#open) closeQuietly(conn);
    this.#open.clear();
  }

  /** Listens again on the same port. */
  open(): void {
    if (this.#listener) return;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: this.#port });
    void this.#accept(this.#listener);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.refuse();
    await Promise.resolve();
  }

  async #accept(listener: Deno.TcpListener): Promise<void> {
    try {
      for await (const client of listener) void this.#relay(client);
    } catch {
      // Closed by refuse().
    }
  }

  async #relay(client: Deno.TcpConn): Promise<void> {
    this.#open.add(client);
    let upstream: Deno.TcpConn | null = null;
    try {
      upstream = await Deno.connect(this.#target);
      this.#open.add(upstream);
      await Promise.all([
        client.readable.pipeTo(upstream.writable),
        upstream.readable.pipeTo(client.writable),
      ]);
    } catch {
      // A side closed (or refuse() cut both): the other goes too.
    } finally {
      for (const conn of [client, upstream]) {
        if (!conn) continue;
        this.#open.delete(conn);
        closeQuietly(conn);
      }
    }
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed by its stream.
  }
}
