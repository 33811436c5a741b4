using NetLab.Testing;

namespace NetLab.Lab.Tests;

/// <summary>lab-up.sh / lab-down.sh / lab.sh: the namespaces, links and addresses they promise.</summary>
public sealed class LabScriptTests
{
    private static string Script(string name) => Path.Combine(Repo.Root, "scripts", name);

    private static string RandomLabName() => "t" + Guid.NewGuid().ToString("N")[..8];

    private static IEnumerable<string> Namespaces(string lab) =>
        Shell.Check("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0]).Where(name => name.StartsWith(lab + "-", StringComparison.Ordinal));

    [RootFact]
    public void LabUp_CreatesHostsOnOneBridge_AndLabDownRemovesThem()
    {
        string lab = RandomLabName();
        try
        {
            var up = Shell.Run(Script("lab-up.sh"), "--lab", lab, "--clients", "2", "--mitm", "--subnet", "10.77.0.0/24");
            Assert.True(up.ExitCode == 0, up.Output);
            Assert.Equal(
                new[] { "br", "client1", "client2", "mitm", "server" }.Select(h => $"{lab}-{h}").Order(),
                Namespaces(lab).Order());

            string serverAddresses = Shell.Check("ip", "-n", $"{lab}-server", "-4", "-o", "addr", "show", "dev", "eth0");
            Assert.Contains("10.77.0.1/24", serverAddresses, StringComparison.Ordinal);
            string clientAddresses = Shell.Check("ip", "-n", $"{lab}-client1", "-4", "-o", "addr", "show", "dev", "eth0");
            Assert.DoesNotContain("inet ", clientAddresses, StringComparison.Ordinal);
            string ports = Shell.Check("ip", "-n", $"{lab}-br", "-o", "link", "show", "master", "br0");
            Assert.Equal(4, ports.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            // The server reaches the mitm host across the bridge (ARP resolves through br0).
            var exec = Shell.Run(Script("lab.sh"), "--lab", lab, "exec", "server", "ip", "neigh", "show");
            Assert.Equal(0, exec.ExitCode);
            var list = Shell.Run(Script("lab.sh"), "--lab", lab, "list");
            Assert.Contains("10.77.0.2/24", list.Stdout, StringComparison.Ordinal);

            var again = Shell.Run(Script("lab-up.sh"), "--lab", lab);
            Assert.NotEqual(0, again.ExitCode);
            Assert.Contains("already up", again.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            var down = Shell.Run(Script("lab-down.sh"), "--lab", lab);
            Assert.True(down.ExitCode == 0, down.Output);
        }
        Assert.Empty(Namespaces(lab));
    }

    [RootFact]
    public void LabUp_BadArguments_SayWhatIsWrong()
    {
        var subnet = Shell.Run(Script("lab-up.sh"), "--lab", RandomLabName(), "--subnet", "10.0.0.0/33");
        Assert.Equal(2, subnet.ExitCode);
        Assert.Contains("prefix", subnet.Stderr, StringComparison.Ordinal);
        var clients = Shell.Run(Script("lab-up.sh"), "--lab", RandomLabName(), "--clients", "many");
        Assert.Equal(2, clients.ExitCode);
        Assert.Contains("--clients", clients.Stderr, StringComparison.Ordinal);
    }

    [RootFact("nft")]
    public void Firewall_AppliedInLabHost_OpensOnlyTheRolePorts()
    {
        string lab = RandomLabName();
        try
        {
            Assert.Equal(0, Shell.Run(Script("lab-up.sh"), "--lab", lab).ExitCode);
            var apply = Shell.Run(Script("firewall.sh"), "--lab", lab, "--apply", "server", "--roles", "dns,auth");
            Assert.True(apply.ExitCode == 0, apply.Output);
            string rules = Shell.Check("ip", "netns", "exec", $"{lab}-server", "nft", "list", "table", "inet", "netlab");
            Assert.Contains("udp dport 53 accept", rules, StringComparison.Ordinal);
            Assert.Contains("tcp dport 12345 accept", rules, StringComparison.Ordinal);
            Assert.DoesNotContain("dport 21 ", rules, StringComparison.Ordinal);
            Assert.Contains("policy drop", rules, StringComparison.Ordinal);
        }
        finally
        {
            Shell.Run(Script("lab-down.sh"), "--lab", lab);
        }
    }
}
