using System.Globalization;

namespace Debug.Core.Experiments;

/// <summary>
/// Prints where a long piece of work stands every <see cref="Interval"/>, whether or not anything reported in between:
/// a single forward of a real checkpoint can take longer than the interval, so a line printed per report could leave
/// minutes of silence. The work calls <see cref="Update"/> with its latest status (e.g. a
/// <see cref="Tracing.SeedSearchProgress"/>); a timer writes <c>&lt;label&gt;: &lt;status&gt; (&lt;elapsed&gt; s)</c>.
/// Used by the test suite (diagnostic lines, visible live in <c>dotnet test</c>) and usable by any front end.
/// </summary>
public sealed class ProgressHeartbeat : IDisposable
{
    /// <summary>The default interval: the longest silence a long row may have.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly string _label;
    private readonly Action<string> _write;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private string _status;
    private bool _disposed;

    /// <summary>Starts the heartbeat; the first line comes after one interval.</summary>
    /// <param name="label">What is running (e.g. a row's display name).</param>
    /// <param name="write">Where lines go; called from a timer thread.</param>
    /// <param name="status">The status before the first <see cref="Update"/>.</param>
    /// <param name="interval">Time between lines (default <see cref="DefaultInterval"/>).</param>
    /// <param name="time">Clock and timers (tests pass a fake).</param>
    public ProgressHeartbeat(string label, Action<string> write, string status = "starting", TimeSpan? interval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(write);
        _label = label;
        _write = write;
        _status = status;
        _time = time ?? TimeProvider.System;
        Interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero, nameof(interval));
        _start = _time.GetTimestamp();
        _timer = _time.CreateTimer(_ => Beat(), null, Interval, Interval);
    }

    /// <summary>What is running, as given.</summary>
    public string Label => _label;

    /// <summary>Time between lines.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Time since the heartbeat started.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_start);

    /// <summary>Replaces the status the next line shows.</summary>
    public void Update(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        lock (_gate) _status = status;
    }

    /// <summary>An <see cref="IProgress{T}"/> that updates the status with each report's text.</summary>
    public IProgress<T> As<T>() where T : notnull => new Forward<T>(this);

    /// <summary>The line the timer writes now.</summary>
    public string Line()
    {
        lock (_gate) return Compose();
    }

    private string Compose() => string.Create(CultureInfo.InvariantCulture, $"{_label}: {_status} ({Elapsed.TotalSeconds:F0} s)");

    // Written under the lock, so that once Dispose has taken it no beat is still writing. An exception on a timer
    // thread would end the process, and a progress line is not worth that: a writer that throws silences the heartbeat.
    private void Beat()
    {
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                _write(Compose());
            }
            catch (Exception)
            {
                _disposed = true;
            }
        }
    }

    /// <summary>Stops the timer; no line is written after this returns.</summary>
    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _timer.Dispose();
    }

    private sealed class Forward<T>(ProgressHeartbeat owner) : IProgress<T> where T : notnull
    {
        public void Report(T value) => owner.Update(value.ToString() ?? "");
    }
}
