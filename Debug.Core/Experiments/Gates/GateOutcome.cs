namespace Debug.Core.Experiments.Gates;

/// <summary>The verdict on one case group.</summary>
public enum GateStatus
{
    /// <summary>The interval's lower bound is at or above the threshold.</summary>
    Passed,

    /// <summary>The interval's lower bound is below the threshold (or the group is required but unlisted).</summary>
    Failed,

    /// <summary>Accuracy recorded, but no threshold applies (model without entries, or entry pending).</summary>
    NotGated,
}

/// <summary>A gate's verdict and the text to show for it.</summary>
/// <param name="Status">The verdict.</param>
/// <param name="Message">One paragraph: group, n, accuracy, interval, threshold and, on failure, examples.</param>
/// <param name="Threshold">The threshold that applied, if any.</param>
public sealed record GateOutcome(GateStatus Status, string Message, double? Threshold);
