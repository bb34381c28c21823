package dev.diffulab.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every config key means, in a person's words: the source of {@code docs/configuration.md},
 * which is generated from these descriptions and the defaults the config readers apply. A test
 * fails when a key has no description, a description names no key, or the page has drifted.
 */
public final class ConfigReference {
  private ConfigReference() {
  }

  /** Keys of a text run's config ({@code "section.key"}, or a top-level key) → description. */
  public static final Map<String, String> TEXT = text();
  /** Keys of an image run's config → description. */
  public static final Map<String, String> IMAGES = images();

  /** A key's description without Markdown backticks, for a tooltip; empty when it has none. */
  public static String plain(Map<String, String> reference, String key) {
    return reference.getOrDefault(key, "").replace("`", "");
  }

  private static Map<String, String> text() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", "The run's name: the folder a run from the window is saved under.");
    m.put("method", "`masked` (masked diffusion: RoBERTa-diffusion, MDLM, LLaDA), `cdcd`"
        + " (continuous diffusion on embeddings with time warping), `autoregressive` (the"
        + " baseline: the same transformer as a causal decoder; prompt → response data only) or"
        + " `autoencoder` (latent text diffusion's first stage: text to k latent vectors and"
        + " back; plain text, unpacked) or `latent` (latent text diffusion: that autoencoder,"
        + " then a Gaussian denoiser over its latents, sampled by DDIM and decoded to text).");
    m.put("device", "`auto` (a GPU when PyTorch reports one), `cpu` or `gpu`.");
    m.put("seed", "Seeds everything: data split, batch order, masks, noise, samples.");
    m.put("model.d_model", "Width of the transformer.");
    m.put("model.layers", "Transformer blocks.");
    m.put("model.heads", "Attention heads; must divide `d_model`.");
    m.put("model.ffn", "Width of each block's feed-forward layer.");
    m.put("model.seq_len", "Longest text the model sees, in tokens.");
    m.put("model.tie_embeddings", "The output layer reuses the token embeddings.");
    m.put("model.end_positions", "Every token also learns its distance to its document's last"
        + " token, so the model knows where a text ends.");
    m.put("data.corpus", "`tinytales` (generated, with a validator), a built-in task"
        + " (`multiplication-NxM`, `multiplication-NxM-nochain`, `tinytales-summaries`: prompt →"
        + " response pairs, graded exactly) or a path: TinyStories text (`<|endoftext|>` between stories), JSON Lines with"
        + " a `text` field, or plain text with blank lines between documents; with `data.pairs`, a"
        + " pair corpus. UTF-8.");
    m.put("data.tokenizer", "`tinytales` (the shipped word-level tokenizer), `digits` (the"
        + " arithmetic tasks' tokenizer) or the path of a HuggingFace `tokenizer.json`.");
    m.put("data.pairs", "The corpus file holds prompt → response pairs (JSON Lines with"
        + " `prompt`/`response`, `src`/`trg` or GSM8K's `question`/`answer`, or TSV): the prompt is"
        + " never noised, the loss is on the response, evaluation grades answers. Built-in tasks"
        + " are always pairs.");
    m.put("data.task_examples", "How many problems a built-in task generates (seeded; distinct).");
    m.put("data.tinytales_stories", "How many TinyTales stories to generate (seeded).");
    m.put("data.validation_fraction", "Share of documents held out for evaluation.");
    m.put("data.packing", "Pack several documents into each row of `seq_len` tokens instead of"
        + " one document per row.");
    m.put("data.length_buckets", "Batches drawn from this many pools of alike-length documents"
        + " (1: one pool).");
    m.put("data.length_groups", "A batch is computed as this many groups of alike-length rows,"
        + " each only as long as its longest row: less padding computed.");
    m.put("data.order", "`epochs` (shuffled passes, every document once a pass) or `draws`"
        + " (each batch drawn at random with replacement).");
    m.put("train.steps", "Optimiser steps.");
    m.put("train.batch_size", "Documents (rows) per step.");
    m.put("train.learning_rate", "Peak learning rate of AdamW (linear warm-up, cosine decay).");
    m.put("train.warmup_steps", "Steps of linear warm-up.");
    m.put("train.weight_decay", "AdamW's decoupled weight decay.");
    m.put("train.grad_clip", "Largest gradient norm; larger gradients are scaled down.");
    m.put("train.log_every", "Steps between log lines and curve updates.");
    m.put("train.eval_every", "Steps between held-out evaluations (0: none).");
    m.put("train.sample_every", "Steps between preview samples (0: none).");
    m.put("train.checkpoint_every", "Steps between checkpoints (0: only at the end or on stop).");
    m.put("train.preview_samples", "Samples drawn at each preview.");
    m.put("masking.ratio", "How much of a text is masked in training: `uniform` (MDLM, any"
        + " ratio) or `levels` (RoBERTa-diffusion's fixed levels).");
    m.put("masking.epsilon", "Smallest masking ratio drawn.");
    m.put("masking.weighting", "`none` (plain cross-entropy on masked tokens) or `elbo` (MDLM's"
        + " 1/t weighting: the loss is a bound on the likelihood).");
    m.put("masking.prefix_tokens", "Tokens at the start of each text that are never masked"
        + " (conditioning on a prefix).");
    m.put("masking.random_prefix", "Draw the unmasked prefix's length at random up to"
        + " `prefix_tokens`.");
    m.put("masking.scheduled_sampling", "Share of training steps in which the model sees its"
        + " own greedy guesses at half the masked positions (still scored against the truth), so"
        + " it learns to mend wrong tokens: Diffusion of Thought's scheduled sampling. 0: never.");
    m.put("sampler.steps", "Denoising steps.");
    m.put("sampler.schedule", "How many blanks remain after each step: `linear`, `cosine` or"
        + " `exponential`.");
    m.put("sampler.remasking", "Which blanks a step reveals: `ancestral` (MDLM: each with the"
        + " posterior's probability), `low-confidence` (LLaDA: the surest first), `random`"
        + " (fill all, mask some again at random) or `remdm` (ReMDM: ancestral, then a loop that"
        + " re-masks the least sure written tokens). CDCD: `low-confidence` or `random` commit"
        + " positions as clean tokens on the way down, as many as the schedule reveals (the"
        + " surest, or random ones), for models trained with `cdcd.given_fraction`; `ancestral`"
        + " commits none.");
    m.put("sampler.sampling", "How a token is drawn: `greedy`, `top-k`, `nucleus` (top-p) or"
        + " `min-p`.");
    m.put("sampler.top_k", "Candidates for `top-k` sampling.");
    m.put("sampler.top_p", "Probability mass kept by `nucleus` sampling.");
    m.put("sampler.min_p", "Threshold of `min-p` sampling: tokens at least this share of the"
        + " likeliest token's probability are drawn from.");
    m.put("sampler.temperature", "Divides the logits before drawing (CDCD: the score"
        + " temperature).");
    m.put("sampler.solver", "CDCD's ODE solver: `euler`, `heun` (second order, two model calls"
        + " a step) or `ancestral` (posterior steps with fresh noise).");
    m.put("sampler.length", "Canvas length in tokens; 0 draws each sample's length from the"
        + " training documents' lengths.");
    m.put("sampler.remasking_temperature", "MaskGIT's Gumbel noise on the confidences that"
        + " `low-confidence` and ReMDM rank, annealed to 0 over the steps (0: none).");
    m.put("sampler.remdm_loop", "ReMDM: share of the steps spent in the re-masking loop.");
    m.put("sampler.remdm_eta", "ReMDM: share of the written tokens re-masked at each loop step.");
    m.put("sampler.blocks", "`low-confidence`: fill the canvas in this many blocks, left to"
        + " right (LLaDA's semi-autoregressive remasking).");
    m.put("sampler.remdm_decode", "ReMDM: how blanks are revealed before the loop: `ancestral`"
        + " or `low-confidence`.");
    m.put("sampler.num_samples", "Samples drawn when a command is not told how many.");
    m.put("sampler.confidence", "`low-confidence`: rank blanks by the probability of their most"
        + " likely token (`top`) or of the token drawn there (`drawn`, LLaDA's rule, which turns"
        + " near-even odds into the same choice in nearly every sample).");
    m.put("sampler.guidance", "Method latent on pairs: classifier-free guidance weight w"
        + " (1: the conditional model as trained, 0: no prompt, above 1: guided). Configs"
        + " written before it was a sampler setting keep it as `autoencoder.guidance`, which is"
        + " still read.");
    m.put("sampler.eta", "Method latent: DDIM's η, the fresh noise each step adds (0:"
        + " deterministic, one text for each start; 1: DDPM's ancestral steps).");
    m.put("sampler.noise_temperature", "Method latent: scale of the noise DDIM starts from and"
        + " η adds (1: the model's distribution; below 1: nearer its commonest latents, surer"
        + " texts and less varied ones).");
    m.put("cdcd.sigma_min", "Smallest noise level σ.");
    m.put("cdcd.sigma_max", "Largest noise level σ.");
    m.put("cdcd.warp_fit", "How the time warp (the loss-versus-σ curve) is fitted: `piecewise`"
        + " (the paper's binned fit, made monotone) or `cauchy` (a Cauchy-like CDF).");
    m.put("cdcd.refit_every", "Steps between fits of the time warp.");
    m.put("cdcd.warp_window", "Recent (σ, loss) pairs the warp is fitted to.");
    m.put("cdcd.self_conditioning", "Feed the previous estimate back to the model (Chen et al."
        + " 2022's self-conditioning).");
    m.put("cdcd.embedding_dim", "Width of the diffused embeddings; 0: as wide as the model,"
        + " 16 to 64: narrow ones projected up.");
    m.put("cdcd.embedding_lr_scale", "The embeddings' factor on the learning rate.");
    m.put("cdcd.warp_uniform", "Share of training noise levels drawn log-uniformly instead of"
        + " under the warp: without it a stretch of σ that an early fit finds flat gets no"
        + " training and stays flat.");
    m.put("cdcd.given_fraction", "Share of training documents that get a random subset of"
        + " their positions given clean (at a rate drawn per document): what lets the sampler's"
        + " `low-confidence` or `random` remasking commit positions as clean tokens part way"
        + " down. 0 keeps a recipe as it was.");
    m.put("autoencoder.latents", "Methods autoencoder and latent: the latent vectors a text"
        + " becomes (k),"
        + " whatever its length.");
    m.put("autoencoder.latent_dim", "The width of each latent vector (tanh-bounded).");
    m.put("autoencoder.latent_noise", "Standard deviation of the Gaussian noise added to a"
        + " latent in training, which keeps nearby latents decoding to nearby texts.");
    m.put("autoencoder.first_steps", "Method latent: the steps that train the autoencoder"
        + " before it is frozen and the denoiser over its latents trains (0: half the run).");
    m.put("autoencoder.diffusion_steps", "Method latent: the steps T of the Gaussian forward"
        + " process over the latents (the sampler's `steps` is how many of them DDIM visits).");
    m.put("autoencoder.noise_schedule", "Method latent: how β grows over the diffusion steps,"
        + " `cosine` or `linear`.");
    m.put("autoencoder.condition_dropout", "Method latent on pairs (encoder–diffusion–decoder):"
        + " the share of training rows whose prompt the denoiser does not see, so that it also"
        + " learns responses without one.");
    m.put("autoencoder.stage_schedules", "Method latent: `shared`, one learning-rate schedule"
        + " over the whole run (the denoiser warms up again after the switch), or `separate`,"
        + " a warm-up and cosine decay within each stage, so the autoencoder is frozen after its"
        + " learning rate has decayed.");
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Map<String, String> images() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", "The run's name.");
    m.put("seed", "Seeds the data order, the noise and the samples.");
    m.put("model.channels", "U-Net channels at full resolution (twice that at the two lower"
        + " ones), a multiple of 4; for `dit`, the transformer's width.");
    m.put("model.class_conditional", "The model is told the class (for classifier-free"
        + " guidance).");
    m.put("model.label_dropout", "Share of training steps whose class is hidden, so the model"
        + " also learns the unconditional score.");
    m.put("model.backbone", "`unet` (residual blocks with group norm at three resolutions) or"
        + " `dit` (a patch transformer with adaLN conditioning, Peebles & Xie 2023).");
    m.put("model.attention", "`unet`: self-attention (a transformer block) over the positions"
        + " of the lowest resolution, between its two middle blocks.");
    m.put("model.patch", "`dit`: patches of patch × patch pixels; divides the picture's size.");
    m.put("model.layers", "`dit`: transformer blocks.");
    m.put("model.heads", "`dit`: attention heads; divides `model.channels`.");
    m.put("diffusion.steps", "T, the forward process's steps.");
    m.put("diffusion.schedule", "The noise schedule: `linear` (DDPM) or `cosine` (Nichol &"
        + " Dhariwal).");
    m.put("diffusion.prediction", "What the network outputs: `epsilon` (the noise), `x0` (the"
        + " clean image) or `v`.");
    m.put("diffusion.loss", "`mse` or `huber`.");
    m.put("train.steps", "Optimiser steps.");
    m.put("train.batch_size", "Pictures per step.");
    m.put("train.learning_rate", "Peak learning rate.");
    m.put("train.warmup_steps", "Steps of linear warm-up.");
    m.put("train.log_every", "Steps between log lines.");
    m.put("train.ema", "Decay of the moving average of the weights that sampling uses (0: the"
        + " trained weights themselves).");
    m.put("train.checkpoint_every", "Write the checkpoint every this many steps, so a stopped"
        + " run can go on with `--resume` (0: at the end only).");
    m.put("sampler.steps", "DDIM steps.");
    m.put("sampler.eta", "DDIM's η: 0 deterministic, 1 DDPM's ancestral noise.");
    m.put("sampler.guidance", "Classifier-free guidance weight w (0: none).");
    m.put("sampler.guidance_interval", "`[from, to]`: guide only the steps whose t/T lies in"
        + " it, 0 ≤ from < to ≤ 1 (Kynkäänniemi et al. 2024); the other steps run the"
        + " conditional model alone, one network pass instead of two (absent: every step).");
    m.put("sampler.num_samples", "Pictures drawn when a command is not told how many.");
    m.put("data.source", "`fashion-mnist` (IDX files) or `folder` (one subfolder of pictures"
        + " per class).");
    m.put("data.path", "Where the pictures are (fashion-mnist: defaults to the Debian package's"
        + " folder, else the 3,000-picture subset shipped with DiffuLab).");
    m.put("data.limit", "Use at most this many training pictures (0: all).");
    return java.util.Collections.unmodifiableMap(m);
  }
}
