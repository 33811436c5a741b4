using NetLab.Dhcp.Leases;
using NetLab.Protocols.Addressing;
using NetLab.Testing;

namespace NetLab.Hosts.DhcpServer.Tests;

/// <summary>dhcp-server on eth0 (192.168.10.1/24) of one namespace, the client end of the veth pair in
/// another, a private lease file; everything removed on dispose.</summary>
public sealed class DhcpServerLab : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TestNetwork _network;
    private readonly string[] _serverArgs;

    private DhcpServerLab(string prefix, string rangeEnd, string[] extraArgs)
    {
        _network = TestNetwork.CreatePair(prefix, "192.168.10.1/24", null);
        Directory = Path.Combine(Path.GetTempPath(), $"netlab-{prefix}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        LeaseFile = Path.Combine(Directory, "leases.jsonl");
        _serverArgs =
        [
            "--interface", "eth0", "--dhcp-range", "192.168.10.100", rangeEnd, "255.255.255.0",
            "--router", "192.168.10.1", "--dns", "192.168.10.1", "--domain", "lab.test", "--lease-file", LeaseFile, .. extraArgs,
        ];
        Server = StartServer();
    }

    public NetworkNamespace ServerHost => _network.Hosts[0];
    public NetworkNamespace ClientHost => _network.Hosts[1];
    public string Directory { get; }
    public string LeaseFile { get; }
    public BackgroundProcess Server { get; private set; }

    public static DhcpServerLab Start(string prefix, string rangeEnd = "192.168.10.200", params string[] extraArgs)
    {
        var lab = new DhcpServerLab(prefix, rangeEnd, extraArgs);
        return lab;
    }

    /// <summary>Starts (or restarts) the server with the same flags and waits until it serves.</summary>
    public BackgroundProcess StartServer()
    {
        Server = ServerHost.StartProgram("dhcp-server", _serverArgs);
        Server.WaitForLine(@"dhcp-server on eth0", StartTimeout);
        return Server;
    }

    /// <summary>A file in the lab directory, e.g. a client script.</summary>
    public string WriteFile(string name, string content, bool executable = false)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        if (executable)
        {
            Shell.Check("chmod", "755", path);
        }
        return path;
    }

    public Dictionary<IPv4Address, Lease> Leases() => LeaseJournal.Load(LeaseFile, out _, out _);

    /// <summary>Waits until a file has a line matching the pattern (clients' scripts write their events there).</summary>
    public static string WaitForFileLine(string path, string pattern, TimeSpan timeout)
    {
        var regex = new System.Text.RegularExpressions.Regex(pattern);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path) && File.ReadAllLines(path).FirstOrDefault(regex.IsMatch) is { } line)
            {
                return line;
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"no line matching /{pattern}/ in {path} within {timeout}; it holds:\n{(File.Exists(path) ? File.ReadAllText(path) : "(missing)")}");
    }

    public void Dispose()
    {
        _network.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A client still closing a file in it; the temp directory is cleaned by the OS later.
        }
    }
}
