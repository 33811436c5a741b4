namespace NetLab.Testing;

/// <summary>A reference DNS server (NSD, Unbound) started by a test with a private config, directory and port on
/// 127.0.0.1, ended by PID and its directory removed on dispose.</summary>
public sealed class DnsReferenceServer : IDisposable
{
    private readonly BackgroundProcess _process;

    private DnsReferenceServer(BackgroundProcess process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }
    public int Port { get; }
    public string Output => _process.Output;

    /// <summary>NSD serving <paramref name="zoneText"/> as <paramref name="origin"/> (NSD reads and compiles the zone
    /// itself). minimal-responses matches dns-server, which adds no NS records to positive answers.</summary>
    public static DnsReferenceServer StartNsd(string origin, string zoneText)
    {
        string dir = DnsTestZones.NewTempDir("nsd");
        File.WriteAllText(Path.Combine(dir, "zone"), zoneText);
        int port = FreePort.UdpAndTcp();
        File.WriteAllText(Path.Combine(dir, "nsd.conf"), $"""
            server:
              port: {port}
              ip-address: 127.0.0.1
              username: ""
              chroot: ""
              zonesdir: "{dir}"
              database: ""
              pidfile: "{dir}/nsd.pid"
              xfrdfile: "{dir}/xfrd.state"
              zonelistfile: "{dir}/zone.list"
              server-count: 1
              verbosity: 1
              minimal-responses: yes
            remote-control:
              control-enable: no
            zone:
              name: {origin}
              zonefile: zone
            """);
        var process = new BackgroundProcess(Requirements.FindTool("nsd") ?? "nsd", ["-d", "-c", Path.Combine(dir, "nsd.conf")]);
        var server = new DnsReferenceServer(process, dir, port);
        server.WaitUntilReady("nsd started");
        return server;
    }

    /// <summary>Unbound as a small upstream resolver that answers <paramref name="localData"/> records itself
    /// (local-zone static) and never sends a query anywhere.</summary>
    public static DnsReferenceServer StartUnbound(string localZone, IEnumerable<string> localData)
    {
        string dir = DnsTestZones.NewTempDir("unbound");
        int port = FreePort.UdpAndTcp();
        string data = string.Join("\n", localData.Select(d => $"  local-data: \"{d}\""));
        File.WriteAllText(Path.Combine(dir, "unbound.conf"), $"""
            server:
              interface: 127.0.0.1
              port: {port}
              username: ""
              chroot: ""
              directory: "{dir}"
              pidfile: "{dir}/unbound.pid"
              use-syslog: no
              logfile: ""
              verbosity: 1
              do-ip6: no
              access-control: 127.0.0.0/8 allow
              local-zone: "{localZone}." static
            {data}
            remote-control:
              control-enable: no
            """);
        var process = new BackgroundProcess(Requirements.FindTool("unbound") ?? "unbound", ["-d", "-c", Path.Combine(dir, "unbound.conf")]);
        var server = new DnsReferenceServer(process, dir, port);
        server.WaitUntilReady("start of service");
        return server;
    }

    private void WaitUntilReady(string line)
    {
        try
        {
            _process.WaitForLine(line, TimeSpan.FromSeconds(20));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Stops the server now (the directory stays until dispose).</summary>
    public void Stop()
    {
        _process.Dispose();
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the exiting server; /tmp is cleaned eventually.
        }
    }
}
