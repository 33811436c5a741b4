using System.Text.Json;
using NetLab.Testing;

namespace Dhcp.Client.Tests;

/// <summary>A DHCP server host and a client host on one link (10.9.0.0/24, server 10.9.0.1), a private temporary
/// directory for leases, configs and logs, and helpers to run reference servers and dhcp-client there.</summary>
internal sealed class ClientLab : IDisposable
{
    public const string ServerIp = "10.9.0.1";
    public const string DnsIp = "10.9.0.53";
    public const string Domain = "lab.test";

    private readonly TestNetwork _network;

    private ClientLab(TestNetwork network, NetworkNamespace server, NetworkNamespace client)
    {
        _network = network;
        Server = server;
        Client = client;
        Directory = System.IO.Directory.CreateTempSubdirectory("dhcpc-lab-").FullName;
    }

    public NetworkNamespace Server { get; }
    public NetworkNamespace Client { get; }
    public string Directory { get; }
    public string ClientLeaseFile => Path("client-lease.json");

    public static ClientLab Pair()
    {
        var network = TestNetwork.CreatePair("dhcpc", ServerIp + "/24", null);
        return new ClientLab(network, network.Hosts[0], network.Hosts[1]);
    }

    /// <summary>A bridged link with the server, one more host holding <paramref name="squatterCidr"/>, and the client.</summary>
    public static (ClientLab Lab, NetworkNamespace Squatter) Bridged(string squatterCidr)
    {
        var network = TestNetwork.CreateBridged("dhcpc");
        var server = network.AddHost(ServerIp + "/24");
        var squatter = network.AddHost(squatterCidr);
        var client = network.AddHost(null);
        return (new ClientLab(network, server, client), squatter);
    }

    /// <summary>Full path of a tool: daemons live in /usr/sbin, which a test runner's PATH may lack.</summary>
    private static string Tool(string name) => Requirements.FindTool(name) ?? name;

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>dnsmasq as DHCP server only (--port=0) with private lease and pid files, logging to stderr.</summary>
    public BackgroundProcess StartDnsmasq(params string[] extra)
    {
        var dnsmasq = Server.Start(Tool("dnsmasq"), [
            "--no-daemon", "--conf-file=/dev/null", "--interface=eth0", "--bind-interfaces", "--port=0", "--log-facility=-",
            $"--dhcp-leasefile={Path("dnsmasq.leases")}", $"--pid-file={Path("dnsmasq.pid")}",
            $"--dhcp-option=option:router,{ServerIp}", $"--dhcp-option=option:dns-server,{DnsIp}",
            $"--dhcp-option=option:domain-name,{Domain}", .. extra]);
        dnsmasq.WaitForLine("DHCP, sockets bound|DHCP, IP range", TimeSpan.FromSeconds(10));
        return dnsmasq;
    }

    /// <summary>kea-dhcp4 with a private JSON config, memfile lease file and pid/lock files in the lab directory.</summary>
    public BackgroundProcess StartKea(int validLifetime, int renewTimer, int rebindTimer)
    {
        var config = new
        {
            Dhcp4 = new Dictionary<string, object>
            {
                ["interfaces-config"] = new Dictionary<string, object> { ["interfaces"] = new[] { "eth0" }, ["dhcp-socket-type"] = "raw" },
                ["lease-database"] = new Dictionary<string, object>
                {
                    ["type"] = "memfile", ["persist"] = true, ["name"] = Path("kea-leases4.csv"), ["lfc-interval"] = 0,
                },
                ["valid-lifetime"] = validLifetime,
                ["renew-timer"] = renewTimer,
                ["rebind-timer"] = rebindTimer,
                ["subnet4"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["id"] = 1,
                        ["subnet"] = "10.9.0.0/24",
                        ["pools"] = new[] { new Dictionary<string, object> { ["pool"] = "10.9.0.100 - 10.9.0.150" } },
                        ["option-data"] = new[]
                        {
                            new Dictionary<string, object> { ["name"] = "routers", ["data"] = ServerIp },
                            new Dictionary<string, object> { ["name"] = "domain-name-servers", ["data"] = DnsIp },
                            new Dictionary<string, object> { ["name"] = "domain-name", ["data"] = Domain },
                        },
                    },
                },
                ["loggers"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["name"] = "kea-dhcp4",
                        ["output_options"] = new[] { new Dictionary<string, object> { ["output"] = "stdout" } },
                        ["severity"] = "INFO",
                    },
                },
            },
        };
        string configPath = Path("kea-dhcp4.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(config));
        var kea = Server.Start("env", $"KEA_PIDFILE_DIR={Directory}", $"KEA_LOCKFILE_DIR={Directory}", Tool("kea-dhcp4"), "-c", configPath);
        kea.WaitForLine("DHCP4_STARTED", TimeSpan.FromSeconds(15));
        return kea;
    }

    /// <summary>NetLab's dhcp-server on the server host, pool 10.9.0.100-150, lease journal in the lab directory.</summary>
    public BackgroundProcess StartNetLabServer(params string[] extra)
    {
        var server = Server.StartProgram("dhcp-server", [
            "--interface", "eth0", "--dhcp-range", "10.9.0.100", "10.9.0.150", "255.255.255.0",
            "--router", ServerIp, "--dns", DnsIp, "--domain", Domain, "--lease-file", NetLabServerLeaseFile, .. extra]);
        server.WaitForLine("dhcp-server on eth0", TimeSpan.FromSeconds(30));
        return server;
    }

    public string NetLabServerLeaseFile => Path("dhcp-server-leases.jsonl");

    /// <summary>The last journal record for <paramref name="ip"/> in dhcp-server's lease file (the one that counts).</summary>
    public JsonElement? NetLabServerLease(string ip) =>
        File.Exists(NetLabServerLeaseFile)
            ? File.ReadAllLines(NetLabServerLeaseFile).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
                .LastOrDefault(r => r.GetProperty("ip").GetString() == ip) is { ValueKind: JsonValueKind.Object } record ? record : null
            : null;

    /// <summary>dhcp-client arguments every test uses: this lab's lease file and short ARP probing.</summary>
    public string[] ClientArgs(params string[] extra) =>
        ["eth0", "--lease-file", ClientLeaseFile, "--arp-interval", "200ms", "--retry-interval", "1s", .. extra];

    /// <summary>Runs dhcp-client in the client namespace to completion.</summary>
    public Shell.Result RunClient(params string[] args) => Client.Run("dotnet", [Repo.ProgramDll("dhcp-client"), .. args]);

    public BackgroundProcess StartClient(params string[] args) => Client.StartProgram("dhcp-client", args);

    /// <summary>The client's IPv4 addresses on eth0 as CIDR strings.</summary>
    public IReadOnlyList<string> ClientAddresses() =>
        Client.Exec("ip", "-4", "-o", "addr", "show", "dev", "eth0").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(f => f[Array.IndexOf(f, "inet") + 1]).ToList();

    public string ClientDefaultRoute() => Client.Exec("ip", "-4", "route", "show", "default").Trim();

    public string ClientMac() => Client.Exec("cat", "/sys/class/net/eth0/address").Trim();

    public void Dispose()
    {
        _network.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
