using Xunit.Abstractions;
using Xunit.Sdk;

namespace Debug.Experiments.Infrastructure;

/// <summary>
/// Thrown by an experiment row that has nothing to judge for a reason outside the code under test (for a tracing row:
/// the model answers too few programs of the group, so there is no correctly answered pair to trace). An
/// <see cref="ExperimentTheoryAttribute"/> row that throws it is reported as skipped with the message, not as passed and
/// not as failed; a test explorer shows the reason.
/// </summary>
public sealed class RowSkippedException(string reason) : Exception(reason);

/// <summary>Turns the failure of a row that threw <see cref="RowSkippedException"/> into a skip, counting how many.</summary>
internal sealed class SkipRowMessageBus(IMessageBus inner) : IMessageBus
{
    private static readonly string SkipType = typeof(RowSkippedException).FullName!;

    /// <summary>Rows turned into skips.</summary>
    public int Skipped { get; private set; }

    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is ITestFailed failed && failed.ExceptionTypes.Length > 0 && failed.ExceptionTypes[0] == SkipType)
        {
            Skipped++;
            return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages[0]));
        }
        return inner.QueueMessage(message);
    }

    // The runner that created the inner bus disposes it.
    public void Dispose() { }
}
