using System.Runtime.InteropServices;

namespace NetLab.Testing;

/// <summary>A throwaway network namespace with a random name. Dispose ends the processes started
/// in it through this object (by PID) and deletes the namespace and its interfaces.</summary>
public sealed class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly List<BackgroundProcess> _processes = [];
    private bool _disposed;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates <c>nl-{prefix}-{random}</c> with loopback up.</summary>
    public static NetworkNamespace Create(string prefix)
    {
        string name = $"nl-{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        Shell.Check("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name);
        ns.Exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>Runs a command inside the namespace to completion.</summary>
    public Shell.Result Run(string file, params string[] args) =>
        Shell.Run("ip", ["netns", "exec", Name, file, .. args], TimeSpan.FromSeconds(60));

    /// <summary>Runs a command that must succeed inside the namespace; returns its standard output.</summary>
    public string Exec(string file, params string[] args) => Shell.Check("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Starts a long-running command inside the namespace; it is ended when the namespace is disposed.</summary>
    public BackgroundProcess Start(string file, params string[] args)
    {
        var process = new BackgroundProcess("ip", ["netns", "exec", Name, file, .. args]);
        _processes.Add(process);
        return process;
    }

    /// <summary>Starts one of NetLab's programs (by executable name, e.g. "dhcp-server") inside the namespace.</summary>
    public BackgroundProcess StartProgram(string executableName, params string[] args) =>
        Start("dotnet", [Repo.ProgramDll(executableName), .. args]);

    /// <summary>Moves the calling thread into the namespace until the scope is disposed, so sockets and
    /// pcap handles opened meanwhile belong to it (they stay there afterwards). Do not await inside the scope.</summary>
    public IDisposable Enter() => new Scope(this);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        Shell.Run("ip", "netns", "delete", Name);
    }

    private sealed class Scope : IDisposable
    {
        private readonly SafeFileHandleLike _original;

        public Scope(NetworkNamespace ns)
        {
            _original = SafeFileHandleLike.Open($"/proc/self/task/{GetTid()}/ns/net");
            using var target = SafeFileHandleLike.Open($"/run/netns/{ns.Name}");
            if (SetNs(target.Fd, CloneNewNet) != 0)
            {
                _original.Dispose();
                throw new InvalidOperationException($"setns into {ns.Name} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }

        public void Dispose()
        {
            _ = SetNs(_original.Fd, CloneNewNet);
            _original.Dispose();
        }
    }

    private sealed class SafeFileHandleLike : IDisposable
    {
        private SafeFileHandleLike(int fd) => Fd = fd;

        public int Fd { get; }

        public static SafeFileHandleLike Open(string path)
        {
            int fd = OpenFile(path, 0);
            return fd >= 0 ? new SafeFileHandleLike(fd) : throw new IOException($"open {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }

        public void Dispose() => _ = Close(Fd);
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFile([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
