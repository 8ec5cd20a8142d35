namespace Debug.Core.Tests.Runtime;

/// <summary>
/// A background thread that forces full garbage collections and runs finalizers back to back until disposed. Under
/// it, any TorchSharp object whose handle is still in use by native code but no longer reachable from managed code
/// (an implicit <c>Scalar</c>, a temporary tensor outside a dispose scope) is finalized, and its native memory freed,
/// while the native call is still running: the use-after-free that otherwise shows up once in many test runs.
/// </summary>
internal sealed class GcPressure : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    private GcPressure()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "GC pressure" };
        _thread.Start();
    }

    /// <summary>Full collections completed so far (to show the pressure really ran).</summary>
    public long Collections { get; private set; }

    public static GcPressure Start() => new();

    private void Loop()
    {
        while (!_stop)
        {
            // Generation 0 is where a just-created implicit Scalar lives; collecting only it is cheap enough to run
            // back to back without starving the work under test, and still finds every Scalar that is already garbage.
            for (int i = 0; i < 64; i++) _ = new object();
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            Collections++;
            // Let the work under test run between collections even on an oversubscribed machine.
            Thread.Yield();
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
