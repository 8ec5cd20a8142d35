using System.Runtime.InteropServices;

namespace Debug.Core.Reports;

/// <summary>
/// <c>&lt;results root&gt;/latest</c>: a relative symbolic link to the newest run folder. It is replaced atomically (a
/// new link under a temporary name, then rename(2) over the old one), so a reader always finds a whole link. Where
/// symbolic links cannot be made (Windows without the privilege), <c>latest.txt</c> holds the run id instead.
/// </summary>
public static partial class LatestRun
{
    /// <summary>The fallback file naming the newest run.</summary>
    public const string FallbackFile = "latest.txt";

    /// <summary>Points <c>latest</c> under <paramref name="root"/> at the run folder <paramref name="runId"/>.</summary>
    public static void Point(string root, string runId)
    {
        string link = Path.Combine(root, RunFolder.LatestLink);
        string temp = Path.Combine(root, $".{RunFolder.LatestLink}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.CreateSymbolicLink(temp, runId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            AtomicFile.WriteAllText(Path.Combine(root, FallbackFile), runId + "\n");
            return;
        }
        // File.Move refuses a link to a folder (it looks through the link), so rename the link itself.
        if (OperatingSystem.IsWindows())
        {
            if (Directory.Exists(link) || File.Exists(link)) File.Delete(link);
            File.Move(temp, link);
        }
        else if (Rename(temp, link) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            File.Delete(temp);
            throw new IOException($"{link}: could not replace the link to the newest run (errno {errno}).");
        }
    }

    /// <summary>The run folder <c>latest</c> points at, or null when there is none.</summary>
    public static string? Resolve(string root)
    {
        var link = new FileInfo(Path.Combine(root, RunFolder.LatestLink));
        if (link.LinkTarget is string target) return Path.GetFullPath(Path.Combine(root, target));
        string fallback = Path.Combine(root, FallbackFile);
        return File.Exists(fallback) ? Path.Combine(root, File.ReadAllText(fallback).Trim()) : null;
    }

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Rename(string from, string to);
}
