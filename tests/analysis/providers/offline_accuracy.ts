/**
 * Prints the offline analyzer's accuracy on the labelled corpus, per half and per field, plus
 * the second heldout batch on its own, then the tuning misses. Heldout misses are listed only
 * with `--heldout-misses`: reading them while editing the lexicon is how heldout stops being
 * heldout.
 *
 * Run: `deno run tests/analysis/providers/offline_accuracy.ts [--heldout-misses]`
 *
 * @module
 */
import {
  CORPUS,
  CORPUS_FIELDS,
  type CorpusReport,
  type FieldAccuracy,
  measureAccuracy,
} from "./offline_corpus.ts";

if (import.meta.main) {
  const report = measureAccuracy();
  const fresh = measureAccuracy(CORPUS.filter((item) => item.id.startsWith("f")));
  const out = [
    formatTable([
      ["tuning", report.tuning],
      ["heldout", report.heldout],
      ["heldout, 2nd batch only", fresh.heldout],
    ]),
    "",
    formatMisses(report, Deno.args.includes("--heldout-misses")),
  ];
  await Deno.stdout.write(new TextEncoder().encode(out.join("\n") + "\n"));
}

function formatTable(
  rows: ReadonlyArray<[string, CorpusReport["tuning"]]>,
): string {
  const width = Math.max(...rows.map(([name]) => name.length), 4);
  const header = ["half".padEnd(width), ...CORPUS_FIELDS.map((f) => f.padStart(16))].join(" ");
  const lines = rows.map(([name, table]) =>
    [name.padEnd(width), ...CORPUS_FIELDS.map((f) => cell(table[f]).padStart(16))].join(" ")
  );
  return [header, ...lines].join("\n");
}

function cell(accuracy: FieldAccuracy): string {
  return `${accuracy.correct}/${accuracy.total} ${(accuracy.ratio * 100).toFixed(1)}%`;
}

function formatMisses(report: CorpusReport, withHeldout: boolean): string {
  const split = new Map(CORPUS.map((item) => [item.id, item.split]));
  const misses = report.misses.filter((m) => withHeldout || split.get(m.id) === "tuning");
  const hidden = report.misses.length - misses.length;
  const note = hidden > 0 ? ` (${hidden} heldout misses hidden; --heldout-misses shows them)` : "";
  if (misses.length === 0) return `no tuning misses${note}`;
  const lines = misses.map((m) => {
    const text = CORPUS.find((item) => item.id === m.id)?.text ?? "";
    return `${m.id.padEnd(4)} ${m.field.padEnd(10)} expected ${JSON.stringify(m.expected)}, got ${
      JSON.stringify(m.actual)
    }  ${text.slice(0, 90)}`;
  });
  return [`misses (${misses.length})${note}:`, ...lines].join("\n");
}
