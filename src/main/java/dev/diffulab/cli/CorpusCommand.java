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
    CorpusCommand.Stats.class, CorpusCommand.Tokenizer.class})
final class CorpusCommand {

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
