// Marks one GLIBCXX version requirement of an ELF64 shared library as weak (VER_FLG_WEAK), so glibc's loader
// accepts the library on systems whose libstdc++ lacks that version.
//
// One file, two uses:
//  - the MSBuild inline task WeakenGlibcxxRequirement (build/Debug.Core.targets; in the package under
//    buildTransitive/), which patches the copy in a build's output folder;
//  - Debug.Core itself (compiled in with DEBUG_CORE defined), whose TorchRuntime loads a patched copy from a cache
//    folder when a consumer's output was not patched (a project reference from another repository, for example).
// Neither ever writes the input file in place: the task replaces the output copy through a temp file + rename (so
// a hard-linked copy in the NuGet cache is never touched), the runtime writes a new file.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#if !DEBUG_CORE
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenGlibcxxRequirement : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        if (GlibcxxVersionPatch.SystemProvides(Version))
        {
            Log.LogMessage(MessageImportance.Low, $"System libstdc++ provides {Version}; no patch needed.");
            return true;
        }
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            try
            {
                byte[] elf = File.ReadAllBytes(path);
                int changed = GlibcxxVersionPatch.Weaken(elf, Version);
                if (changed < 0) { Log.LogMessage(MessageImportance.Low, $"{path}: {Version} already weak or absent."); continue; }
                string tmp = path + ".patching";
                File.WriteAllBytes(tmp, elf);
                File.Delete(path);
                File.Move(tmp, path);
                Log.LogMessage(MessageImportance.High, $"Marked {Version} weak in {path} (system libstdc++ lacks it).");
            }
            catch (Exception e)
            {
                Log.LogError($"Could not patch {path}: {e.Message}");
                return false;
            }
        }
        return true;
    }
}
#endif

/// <summary>Reads and rewrites GLIBCXX version requirements (SHT_GNU_verneed entries) of little-endian ELF64 files.</summary>
internal static class GlibcxxVersionPatch
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    /// <summary>Whether the libstdc++ the loader would find first defines <paramref name="version"/>.</summary>
    public static bool SystemProvides(string version)
    {
        var dirs = new List<string>();
        string? ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(ld)) dirs.AddRange(ld.Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries));
        dirs.AddRange(new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" });
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var dir in dirs)
        {
            string lib = Path.Combine(dir, "libstdc++.so.6");
            if (!File.Exists(lib)) continue;
            // The first libstdc++ the loader would find decides.
            return IndexOf(File.ReadAllBytes(lib), needle) >= 0;
        }
        return false;
    }

    /// <summary>Marks every requirement on <paramref name="version"/> weak, in place in <paramref name="elf"/>.</summary>
    /// <returns>Number of entries changed, or -1 when nothing needed changing (already weak, or not required).</returns>
    /// <exception cref="InvalidDataException">Not a little-endian ELF64 file.</exception>
    public static int Weaken(byte[] elf, string version) => Visit(elf, version, weaken: true);

    /// <summary>Whether <paramref name="elf"/> has a requirement on <paramref name="version"/> that is not weak.</summary>
    /// <exception cref="InvalidDataException">Not a little-endian ELF64 file.</exception>
    public static bool RequiresStrongly(byte[] elf, string version) => Visit(elf, version, weaken: false) > 0;

    static int Visit(byte[] elf, string version, bool weaken)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only little-endian ELF64 is supported");
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int found = 0;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long off = BitConverter.ToInt64(elf, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strOff = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 24);
            long vn = off;
            for (int n = 0; n < count; n++)
            {
                int cnt = BitConverter.ToUInt16(elf, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    uint nameOff = BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadCString(elf, strOff + nameOff) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            if (weaken)
                            {
                                flags |= VerFlagWeak;
                                elf[aux + 4] = (byte)(flags & 0xff);
                                elf[aux + 5] = (byte)(flags >> 8);
                            }
                            found++;
                        }
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, (int)vn + 12);
                if (next == 0) break;
                vn += next;
            }
        }
        return found == 0 ? -1 : found;
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i <= hay.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    static string ReadCString(byte[] b, long at)
    {
        int end = (int)at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
