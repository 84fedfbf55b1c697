using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Composer.Data.Tasks;

namespace Composer.Cli;

/// <summary>Every flag of the training executables, defined once and shared by the commands that take it.</summary>
internal sealed class CliOptions
{
    // ---- model, device, reproducibility ------------------------------------------------------------
    public readonly Option<string?> Model = new("--model", "-m") { Description = "Which declared model to use (needed when the executable declares more than one)." };
    public readonly Option<string> Device = new("--device") { Description = "Where to run: cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
    public readonly Option<int> Threads = Positive(new Option<int>("--threads") { Description = "libtorch threads inside one op.", DefaultValueFactory = _ => Environment.ProcessorCount });
    public readonly Option<long> Seed = new("--seed") { Description = "Seed for initial weights, data order and dropout.", DefaultValueFactory = _ => 1 };

    // ---- data -------------------------------------------------------------------------------------
    public readonly Option<string?> Task = new("--task", "-t") { Description = "A built-in task: " + string.Join(", ", BuiltInTasks.All.Select(t => t.Name)) + "." };
    public readonly Option<FileInfo?> Data = new("--data") { Description = "Training data: UTF-8 text (language models), source<TAB>target lines (seq2seq), label<TAB>text lines (classifiers)." };
    public readonly Option<FileInfo?> Validation = new("--validation") { Description = "Validation data in the same format (default: a held-out part of --data)." };
    public readonly Option<int> TokensPerBatch = Positive(new Option<int>("--tokens-per-batch") { Description = "Token budget of one batch (padding included).", DefaultValueFactory = _ => 4096 });
    public readonly Option<int> Window = Positive(new Option<int>("--window") { Description = "Sequence length cut from text files for language models (when not given: 256, or the model's MaxLength if shorter).", DefaultValueFactory = _ => 256 });
    public readonly Option<string?> Lengths = new("--lengths") { Description = "copy/reverse/sort: sequence lengths, e.g. 1..20." };
    public readonly Option<string?> Digits = new("--digits") { Description = "addition: digits per operand, e.g. 1..5." };
    public readonly Option<int?> MaxDistance = new("--max-distance") { Description = "agreement: longest subject–verb distance in training (default 48)." };
    public readonly Option<int?> TestExamples = new("--test-examples") { Description = "agreement: test items per distance (default 1000)." };
    public readonly Option<int?> TrainExamples = new("--train-examples") { Description = "Built-in tasks: number of training examples." };

    // ---- training ---------------------------------------------------------------------------------
    public readonly Option<long> Steps = Positive(new Option<long>("--steps") { Description = "Optimizer updates for the whole run.", DefaultValueFactory = _ => 1000 });
    public readonly Option<string?> RunFolder = new("--run") { Description = "Run folder for checkpoints and metrics (default runs/<model>)." };
    public readonly Option<double> LearningRate = PositiveReal(new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 1e-3 });
    public readonly Option<long?> Warmup = new("--warmup") { Description = "Warm-up updates (default: a tenth of --steps)." };
    public readonly Option<string> Schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule.", DefaultValueFactory = _ => "cosine" }.AcceptOnlyFromAmong("cosine", "inverse-sqrt", "constant");
    public readonly Option<int> Accumulate = Positive(new Option<int>("--accumulate") { Description = "Micro-batches per update (gradient accumulation).", DefaultValueFactory = _ => 1 });
    public readonly Option<double> Clip = NonNegativeReal(new Option<double>("--clip") { Description = "Clip the global gradient norm to this (0 = off).", DefaultValueFactory = _ => 1.0 });
    public readonly Option<double> LabelSmoothing = Fraction(new Option<double>("--label-smoothing") { Description = "Label smoothing of the training loss.", DefaultValueFactory = _ => 0.0 });
    public readonly Option<double> WeightDecay = NonNegativeReal(new Option<double>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => 0.01 });
    public readonly Option<long> EvalEvery = Positive(new Option<long>("--eval-every") { Description = "Evaluate and checkpoint every N updates.", DefaultValueFactory = _ => 200 });
    public readonly Option<int> Patience = NonNegative(new Option<int>("--patience") { Description = "Stop after N evaluations without a better validation loss (0 = never).", DefaultValueFactory = _ => 0 });
    public readonly Option<int> KeepLast = Positive(new Option<int>("--keep-last") { Description = "Checkpoints to keep besides the best.", DefaultValueFactory = _ => 2 });
    public readonly Option<bool> Resume = new("--resume") { Description = "Continue the run in --run from its last checkpoint." };
    public readonly Option<double> PeerTimeout = PositiveReal(new Option<double>("--peer-timeout") { Description = "Data-parallel runs (mpirun): seconds a rank waits for the others at a collective before it stops the job.", DefaultValueFactory = _ => 300 });
    public readonly Option<string?> TensorBoard = new("--tensorboard") { Description = "Folder for the TensorBoard event files (default: the run folder).", HelpName = "DIR" };
    public readonly Option<bool> NoTensorBoard = new("--no-tensorboard") { Description = "Write no TensorBoard event files." };

    // ---- evaluation and generation ----------------------------------------------------------------
    public readonly Option<string> Checkpoint = new("--checkpoint", "-c") { Description = "A run folder (its best checkpoint) or a checkpoint folder.", Required = true };
    public readonly Option<string> Prompt = new("--prompt", "-p") { Description = "Text to continue (language models), to translate (seq2seq) or to classify.", Required = true };
    public readonly Option<int> MaxTokens = Positive(new Option<int>("--max-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 100 });
    public readonly Option<double> Temperature = NonNegativeReal(new Option<double>("--temperature") { Description = "0 = greedy; otherwise sampling temperature.", DefaultValueFactory = _ => 0.0 });
    public readonly Option<int> TopK = NonNegative(new Option<int>("--top-k") { Description = "Sample from the k most likely tokens (0 = all).", DefaultValueFactory = _ => 0 });
    public readonly Option<double> TopP = Fraction(new Option<double>("--top-p") { Description = "Nucleus sampling mass (1 = off).", DefaultValueFactory = _ => 1.0 }, allowOne: true, allowZero: false);
    public readonly Option<int> Beam = NonNegative(new Option<int>("--beam") { Description = "Beam size (0 = greedy or sampling).", DefaultValueFactory = _ => 0 });

    public readonly Option<string?> FiguresOut = new("--out", "-o") { Description = "Folder for attention.png, attention.svg and attention.md (default runs/attention/<model>).", HelpName = "DIR" };

    // ---- compare ----------------------------------------------------------------------------------
    public readonly Option<string?> Models = new("--models") { Description = "Comma-separated models to compare (default: every model the task fits)." };
    public readonly Option<string> RunsRoot = new("--runs") { Description = "Folder for the compared runs.", DefaultValueFactory = _ => Path.Combine("runs", "compare") };

    // ---- papa -------------------------------------------------------------------------------------
    public readonly Option<string> Order = new Option<string>("--order") { Description = "Which heads become constant first: divergence (closest to their constant matrix on the validation data), random (the control) or gate (PAPA's learned gate).", DefaultValueFactory = _ => "divergence" }.AcceptOnlyFromAmong("divergence", "random", "gate");
    public readonly Option<long?> AverageBatches = new("--average-batches") { Description = "Average the constant matrices over this many training batches (default: one pass over the training split)." };
    public readonly Option<int> ProbeSteps = NonNegative(new Option<int>("--probe-steps") { Description = "Updates of each probe training: a classifier's head per fraction, and --order gate.", DefaultValueFactory = _ => 200 });
    public readonly Option<double> ProbeLearningRate = PositiveReal(new Option<double>("--probe-lr") { Description = "Learning rate of the probe trainings.", DefaultValueFactory = _ => 1e-3 });
    public readonly Option<string?> PapaOutput = new("--out") { Description = "Folder for papa.json and matrices.safetensors (default runs/papa/<model>)." };
    public readonly Option<string?> Save = new("--save") { Description = "Also save the model with the --save-fraction of its heads constant, as a checkpoint evaluate and generate accept (a run folder)." };
    public readonly Option<double> SaveFraction = Fraction(new Option<double>("--save-fraction") { Description = "Which fraction of constant heads --save keeps (one of those evaluated).", DefaultValueFactory = _ => 0.5 }, allowOne: true);

    /// <summary>The option's value, or false when the parser could not convert it (it reports that error itself).</summary>
    private static bool TryGet<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static Option<T> Positive<T>(Option<T> option) where T : struct, IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out T value)) return;
            if (value.CompareTo(default) <= 0) result.AddError($"{option.Name} must be positive (got {value}).");
        });
        return option;
    }

    private static Option<T> NonNegative<T>(Option<T> option) where T : struct, IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out T value)) return;
            if (value.CompareTo(default) < 0) result.AddError($"{option.Name} must be 0 or more (got {value}).");
        });
        return option;
    }

    private static Option<double> PositiveReal(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out double value)) return;
            if (!(value > 0) || double.IsInfinity(value)) result.AddError($"{option.Name} must be a positive number (got {value.ToString(CultureInfo.InvariantCulture)}).");
        });
        return option;
    }

    private static Option<double> NonNegativeReal(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out double value)) return;
            if (!(value >= 0) || double.IsInfinity(value)) result.AddError($"{option.Name} must be 0 or a positive number (got {value.ToString(CultureInfo.InvariantCulture)}).");
        });
        return option;
    }

    private static Option<double> Fraction(Option<double> option, bool allowOne = false, bool allowZero = true)
    {
        option.Validators.Add(result =>
        {
            if (!TryGet(result, out double value)) return;
            bool ok = (allowZero ? value >= 0 : value > 0) && (allowOne ? value <= 1 : value < 1);
            if (!ok) result.AddError($"{option.Name} must be in {(allowZero ? "[" : "(")}0, 1{(allowOne ? "]" : ")")} (got {value.ToString(CultureInfo.InvariantCulture)}).");
        });
        return option;
    }
}
