namespace NetLab.Testing;

/// <summary>Throwaway hosts on one link: <see cref="CreatePair"/> joins two namespaces with a veth pair
/// (each end is eth0 inside its host); <see cref="CreateBridged"/> puts a bridge in a namespace of its
/// own and plugs each host's eth0 into it. Dispose removes every namespace, link and process.</summary>
public sealed class TestNetwork : IDisposable
{
    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly NetworkNamespace? _bridge;
    private readonly string _prefix;

    private TestNetwork(string prefix, NetworkNamespace? bridge)
    {
        _prefix = prefix;
        _bridge = bridge;
        if (bridge is not null)
        {
            _namespaces.Add(bridge);
        }
    }

    public IReadOnlyList<NetworkNamespace> Hosts => _bridge is null ? _namespaces : _namespaces.Skip(1).ToList();

    /// <summary>The bridge's namespace (bridged networks only): a sniffer there sees every host's traffic on br0.</summary>
    public NetworkNamespace Bridge => _bridge ?? throw new InvalidOperationException("a pair has no bridge");

    /// <summary>Two hosts joined by a veth pair; a null address leaves that end unaddressed (a DHCP client, say).</summary>
    public static TestNetwork CreatePair(string prefix, string? firstCidr, string? secondCidr)
    {
        var network = new TestNetwork(prefix, null);
        try
        {
            var a = network.NewNamespace();
            var b = network.NewNamespace();
            Shell.Check("ip", "-n", a.Name, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", b.Name);
            Configure(a, firstCidr);
            Configure(b, secondCidr);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>A bridge (br0 in its own namespace) with no hosts yet; add them with <see cref="AddHost"/>.</summary>
    public static TestNetwork CreateBridged(string prefix)
    {
        var bridge = NetworkNamespace.Create(prefix + "-br");
        var network = new TestNetwork(prefix, bridge);
        try
        {
            bridge.Exec("ip", "link", "add", "br0", "type", "bridge");
            bridge.Exec("ip", "link", "set", "br0", "up");
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>A new host whose eth0 is plugged into the bridge; a null address leaves it unaddressed.</summary>
    public NetworkNamespace AddHost(string? cidr)
    {
        var bridge = Bridge;
        var host = NewNamespace();
        string port = $"p{_namespaces.Count - 1}";
        Shell.Check("ip", "-n", host.Name, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", bridge.Name);
        bridge.Exec("ip", "link", "set", port, "master", "br0");
        bridge.Exec("ip", "link", "set", port, "up");
        Configure(host, cidr);
        return host;
    }

    public void Dispose()
    {
        for (int i = _namespaces.Count - 1; i >= 0; i--)
        {
            _namespaces[i].Dispose();
        }
        _namespaces.Clear();
    }

    private NetworkNamespace NewNamespace()
    {
        var ns = NetworkNamespace.Create(_prefix);
        _namespaces.Add(ns);
        return ns;
    }

    private static void Configure(NetworkNamespace host, string? cidr)
    {
        if (cidr is not null)
        {
            host.Exec("ip", "addr", "add", cidr, "dev", "eth0");
        }
        host.Exec("ip", "link", "set", "eth0", "up");
    }
}
