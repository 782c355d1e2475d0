/**
 * The bare server the `start` bench group compares our start with: `Deno.serve` answering JSON on
 * `PORT`, nothing imported.
 *
 * @module
 */
Deno.serve(
  { hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")), onListen: () => {} },
  () => Response.json({ ok: true }),
);
