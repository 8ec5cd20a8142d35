namespace Debug.Core.Training;

/// <summary>Settings of <see cref="FamilyTrainer"/>. Defaults are the recipe the shipped <c>tracker</c> model was trained with.</summary>
public sealed record FamilyTrainerOptions
{
    /// <summary>Seed of the initial weights and of every training batch.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 4000;
    /// <summary>Sequences per step.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 2e-3;
    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; } = 300;
    /// <summary>The cosine schedule ends at this fraction of the peak rate.</summary>
    public double MinLearningRateRatio { get; init; } = 0.05;
    /// <summary>Decoupled weight decay on projection matrices.</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Global gradient-norm clip.</summary>
    public double GradientClip { get; init; } = 1.0;
    /// <summary>Programs start at this length at most (curriculum)...</summary>
    public int CurriculumStartLength { get; init; } = 4;
    /// <summary>...and reach every length at this fraction of the steps.</summary>
    public double CurriculumFullAt { get; init; } = 0.25;
    /// <summary>Most BPE merges learned for the tokenizer.</summary>
    public int MaxMerges { get; init; } = 1000;
    /// <summary>A training_log.csv row every this many steps.</summary>
    public int LogEvery { get; init; } = 100;
    /// <summary>Held-out (teacher-forced) evaluation every this many steps.</summary>
    public int EvalEvery { get; init; } = 1000;
    /// <summary>Held-out cases per (family, length) during training.</summary>
    public int EvalCasesPerLength { get; init; } = 20;
    /// <summary>Held-out cases per (family, length) of the final greedy evaluation (eval.json).</summary>
    public int FinalEvalCasesPerLength { get; init; } = 100;
    /// <summary>Checkpoint the training state at most this often.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromMinutes(3);
    /// <summary>libtorch intra-op threads (1: bit-reproducible, and 2 threads measured far slower than 1 on this shared 2-core machine under load).</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Stop (after checkpointing) at this step without finishing, as an interruption would; null runs to the end.</summary>
    public int? StopAtStep { get; init; }
    /// <summary>Stop (after checkpointing) once this much wall time has passed in this process; null: no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }
    /// <summary>Model shape.</summary>
    public EmbeddedModelSpec Model { get; init; } = new() { Hidden = 128, Layers = 6, Heads = 4, HeadDim = 32, Intermediate = 384, MaxPositions = 512 };
    /// <summary>Families trained (names of <see cref="TrackerFamilies.All"/>); null: all of them.</summary>
    public IReadOnlyList<string>? Families { get; init; }
}
