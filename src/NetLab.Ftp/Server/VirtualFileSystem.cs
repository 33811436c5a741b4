using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace NetLab.Ftp.Server;

/// <summary>Maps FTP paths onto a directory tree and keeps every result inside it.</summary>
/// <remarks>Client paths are virtual: "/" is the root directory, absolute paths start there, and a
/// ".." that would climb above it is refused rather than clamped, so a traversal attempt gets an error
/// instead of a surprise. Symbolic links are followed with realpath(3) component by component and the
/// real path must stay under the real root (the check vsftpd gets from chroot).</remarks>
public sealed partial class VirtualFileSystem
{
    /// <summary>PATH_MAX on Linux; longer client paths are refused before touching the disk.</summary>
    public const int MaxPathLength = 4096;

    public VirtualFileSystem(string root)
    {
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"FTP root {root} does not exist; create it or pass another --root");
        }
        RealRoot = RealPath(full) ?? full;
    }

    /// <summary>The root with its symbolic links resolved.</summary>
    public string RealRoot { get; }

    /// <summary>Combines the working directory and a client path into a normalised virtual path
    /// ("/a/b"), or null when ".." climbs above the root or the path is too long.</summary>
    public static string? Combine(string workingDirectory, string path)
    {
        if (path.Length > MaxPathLength || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var parts = new List<string>();
        string joined = path.StartsWith('/') ? path : workingDirectory + "/" + path;
        foreach (string part in joined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>Resolves a virtual path to a real one under the root. Existing components that are
    /// symbolic links are resolved and must stay inside; a dangling link is refused because writing
    /// through it would create a file wherever it points.</summary>
    public bool TryResolve(string virtualPath, [NotNullWhen(true)] out string? realPath)
    {
        realPath = null;
        string current = RealRoot;
        foreach (string part in virtualPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Join(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                string? resolved = RealPath(next);
                if (resolved is null || !IsInsideRoot(resolved))
                {
                    return false;
                }
                next = resolved;
            }
            current = next;
        }
        realPath = current;
        return IsInsideRoot(current);
    }

    /// <summary>The virtual path of a real path inside the root (for replies such as STOU's).</summary>
    public string ToVirtual(string realPath)
    {
        string relative = Path.GetRelativePath(RealRoot, realPath);
        return relative == "." ? "/" : "/" + relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private bool IsInsideRoot(string path)
        => path == RealRoot || (path.StartsWith(RealRoot, StringComparison.Ordinal)
            && (RealRoot.EndsWith('/') || path[RealRoot.Length] == '/'));

    private static string? RealPath(string path)
    {
        nint resolved = NativeRealPath(path, 0);
        if (resolved == 0)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint NativeRealPath(string path, nint resolvedBuffer);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(nint pointer);
}
