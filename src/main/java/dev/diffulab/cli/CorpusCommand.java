package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DataConfig;
import dev.diffulab.core.data.CorpusReader;
import dev.diffulab.core.metrics.CorpusStats;
import dev.diffulab.core.tinytales.TinyTalesCorpus;
import dev.diffulab.core.tinytales.TinyTalesTokenizer;
import dev.diffulab.core.tinytales.TinyTalesValidator;
import dev.diffulab.engine.LabService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "corpus", mixinStandardHelpOptions = true, description = "Write, check and measure corpora.", subcommands = {
    CorpusCommand.TinyTales.class, CorpusCommand.Validate.class,
    CorpusCommand.Stats.class, CorpusCommand.Tokenizer.class, CorpusCommand.Multiply.class,
    CorpusCommand.Pairs.class})
final class CorpusCommand {

  @Command(name = "multiplication", mixinStandardHelpOptions = true, description = "Write the"
      + " built-in reasoning task as JSON Lines of prompt/response: n×m-digit products, digits"
      + " reversed, with the partial products as a chain of thought (or without).")
  static final class Multiply implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--digits", defaultValue = "4x4", description = "n×m digits, as 4x4"
        + " (default: ${DEFAULT-VALUE}).")
    String digits;
    @Option(names = "--no-chain", description = "Only the product after ####, no chain of"
        + " thought.")
    boolean noChain;
    @Option(names = "--count", required = true, description = "How many distinct problems.")
    int count;
    @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default:"
        + " ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", required = true, description = "Output file (.jsonl).")
    Path out;
    @Option(names = "--overwrite", description = "Replace an existing --out file.")
    boolean overwrite;

    @Override
    public Integer call() {
      var m = java.util.regex.Pattern.compile("([0-9]+)[x×]([0-9]+)").matcher(digits.strip());
      if (!m.matches()) {
        throw new InputException("--digits must look like 4x4, not '" + digits + "'");
      }
      int n = Integer.parseInt(m.group(1));
      int k = Integer.parseInt(m.group(2));
      if (n < 1 || k < 1 || n > 18 || k > 18) {
        throw new InputException("--digits: each side 1–18 digits, not " + digits);
      }
      if (count < 1) {
        throw new InputException("--count must be at least 1, got " + count);
      }
      Output.checkWritable(out, "--out", overwrite);
      var pairs = dev.diffulab.core.pairs.Multiplication.generate(n, k, !noChain, count, seed);
      com.google.gson.Gson gson = new com.google.gson.Gson();
      StringBuilder text = new StringBuilder();
      for (var p : pairs) {
        text.append(gson.toJson(Map.of("prompt", p.prompt(), "response", p.response())))
            .append('\n');
      }
      try {
        Files.writeString(out, text.toString(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InputException("--out " + out + " cannot be written (" + e.getMessage() + ")");
      }
      spec.commandLine().getOut().printf("wrote %,d %s×%s-digit products%s to %s%s%n",
          pairs.size(), n, k, noChain ? "" : " with their partial products", out,
          pairs.size() < count ? " (all there are)" : "");
      return DiffuLabCli.OK;
    }
  }

  @Command(name = "pairs", mixinStandardHelpOptions = true, description = "Read a prompt →"
      + " response corpus (JSON Lines: prompt/response, src/trg or question/answer; or TSV)"
      + " and report its size, its held-out split and, for the multiplication task, how"
      + " many responses are right.")
  static final class Pairs implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "The pair corpus.")
    Path file;
    @Option(names = "--held-out", defaultValue = "0.1", description = "Share of prompts held"
        + " out (default: ${DEFAULT-VALUE}).")
    double heldOut;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the split (default:"
        + " ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
      if (!(heldOut >= 0 && heldOut < 1)) {
        throw new InputException("--held-out must be in [0, 1), not " + heldOut);
      }
      var pairs = dev.diffulab.core.pairs.PairCorpus.read(file);
      var split = dev.diffulab.core.pairs.PairSplit.split(pairs, heldOut, seed);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pairs", pairs.size());
      m.put("train", split.train().size());
      m.put("held_out", split.heldOut().size());
      m.put("mean_prompt_chars", pairs.stream().mapToInt(p -> p.prompt().length()).average()
          .orElse(0));
      m.put("mean_response_chars", pairs.stream().mapToInt(p -> p.response().length())
          .average().orElse(0));
      m.put("with_final_answer", pairs.stream().filter(p -> p.response().contains(
          dev.diffulab.core.pairs.Pair.ANSWER)).count());
      boolean multiplication = pairs.stream().allMatch(p -> p.prompt().matches(
          "[0-9 ]+\\*[0-9 ]+"));
      if (multiplication) {
        long exact = pairs.stream().filter(p -> dev.diffulab.core.pairs.Multiplication.grade(
            p.prompt(), p.response()).exact()).count();
        m.put("multiplication_exact", (double) exact / pairs.size());
      }
      Output.print(spec.commandLine().getOut(), json, m);
      return DiffuLabCli.OK;
    }
  }

  @Command(name = "tinytales", mixinStandardHelpOptions = true, description = "Write generated TinyTales stories (TinyStories format).")
  static final class TinyTales implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--count", required = true, description = "How many stories.")
    int count;
    @Option(names = "--seed", defaultValue = "42", description = "Generator seed.")
    long seed;
    @Option(names = "--out", required = true, description = "Output file.")
    Path out;
    @Option(names = "--overwrite", description = "Replace an existing --out file.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
      if (count < 1) {
        throw new InputException("--count must be at least 1, got " + count);
      }
      Output.checkWritable(out, "--out", overwrite);
      try {
        TinyTalesCorpus.write(out, count, seed);
      } catch (IOException e) {
        throw new InputException("--out " + out + " cannot be written (" + e.getMessage() + ")");
      }
      spec.commandLine().getOut().println("wrote " + count + " stories to " + out);
      return DiffuLabCli.OK;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check every story of a file with the TinyTales validator.")
  static final class Validate implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "Corpus file (TinyStories, JSON Lines or plain text).")
    Path file;
    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      List<String> docs = CorpusReader.read(file);
      TinyTalesValidator validator = new TinyTalesValidator();
      int accepted = 0;
      List<String> firstErrors = new ArrayList<>();
      for (int i = 0; i < docs.size(); i++) {
        TinyTalesValidator.Verdict v = validator.validate(docs.get(i));
        if (v.valid()) {
          accepted++;
        } else if (firstErrors.size() < 10) {
          firstErrors.add("story " + (i + 1) + ": " + v.firstError());
        }
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("checked", docs.size());
      r.put("accepted", accepted);
      r.put("accepted_fraction", (double) accepted / docs.size());
      r.put("first_errors", firstErrors);
      Output.print(spec.commandLine().getOut(), json, r);
      return DiffuLabCli.OK;
    }
  }

  @Command(name = "stats", mixinStandardHelpOptions = true, description = "Documents, tokens, unknown-token rate and unigram entropy.")
  static final class Stats implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--corpus", required = true, description = "Corpus file, or 'tinytales'.")
    String corpus;
    @Option(names = "--tokenizer", defaultValue = DataConfig.TINYTALES, description = "tokenizer.json (default: the shipped TinyTales tokenizer).")
    String tokenizer;
    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() {
      DataConfig data = new DataConfig(corpus, tokenizer, 20000, 0.05, false, 1);
      CorpusStats s = LabService.corpusStats(data, 42);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("documents", s.documents());
      r.put("tokens", s.tokens());
      r.put("unknown_rate", s.unknownRate());
      r.put("unigram_entropy_nats", s.unigramEntropyNats());
      r.put("vocabulary_size", s.vocabularySize());
      Output.print(spec.commandLine().getOut(), json, r);
      return DiffuLabCli.OK;
    }
  }

  @Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Regenerate the TinyTales tokenizer.json.")
  static final class Tokenizer implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--out", required = true, description = "Where to write tokenizer.json.")
    Path out;
    @Option(names = "--size", description = "Pad the vocabulary with generated WordPiece entries"
        + " to this many tokens (e.g. 30522, BERT's size), to measure a large vocabulary.")
    Integer size;

    @Override
    public Integer call() throws IOException {
      String json;
      try {
        json = size == null ? TinyTalesTokenizer.json() : TinyTalesTokenizer.json(size);
      } catch (IllegalArgumentException e) {
        throw new dev.diffulab.core.InputException("--size: " + e.getMessage());
      }
      Files.writeString(out, json, StandardCharsets.UTF_8);
      spec.commandLine().getOut().println("wrote " + out);
      return DiffuLabCli.OK;
    }
  }
}
