using Microsoft.Extensions.Logging.Abstractions;
using NetLab.Dhcp.Client;

namespace NetLab.Dhcp.Tests.Client;

public sealed class LeaseScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dhcpc-script-").FullName;

    [Fact]
    public void Variables_UseUdhcpcNames()
    {
        var variables = LeaseScript.Variables("eth0", LeaseFileTests.SampleLease());
        Assert.Equal("eth0", variables["interface"]);
        Assert.Equal("192.168.10.100", variables["ip"]);
        Assert.Equal("255.255.255.0", variables["subnet"]);
        Assert.Equal("24", variables["mask"]);
        Assert.Equal("192.168.10.255", variables["broadcast"]);
        Assert.Equal("192.168.10.1", variables["router"]);
        Assert.Equal("192.168.10.1 192.168.10.2", variables["dns"]);
        Assert.Equal("lab.test", variables["domain"]);
        Assert.Equal("3600", variables["lease"]);
        Assert.Equal("192.168.10.1", variables["serverid"]);
    }

    [Fact]
    public async Task Run_PassesEventAndVariables_EvenToANonExecutableScript()
    {
        string output = Path.Combine(_directory, "seen");
        string script = Path.Combine(_directory, "record.sh");
        File.WriteAllText(script, $"echo \"$1 $ip $dns $domain $RESOLV_CONF\" >> '{output}'\n");
        var runner = new LeaseScript(script, new Dictionary<string, string> { ["RESOLV_CONF"] = "/tmp/r.conf" }, NullLogger.Instance);

        Assert.True(await runner.RunAsync(LeaseEvent.Bound, "eth0", LeaseFileTests.SampleLease(), null, CancellationToken.None));
        Assert.True(await runner.RunAsync(LeaseEvent.Deconfig, "eth0", null, null, CancellationToken.None));
        Assert.Equal(["bound 192.168.10.100 192.168.10.1 192.168.10.2 lab.test /tmp/r.conf", "deconfig /tmp/r.conf"],
            File.ReadAllLines(output).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
    }

    [Fact]
    public async Task Run_FailingOrMissingScript_ReportsFalse()
    {
        string failing = Path.Combine(_directory, "fail.sh");
        File.WriteAllText(failing, "exit 3\n");
        Assert.False(await new LeaseScript(failing, new Dictionary<string, string>(), NullLogger.Instance)
            .RunAsync(LeaseEvent.Bound, "eth0", LeaseFileTests.SampleLease(), null, CancellationToken.None));
        Assert.False(await new LeaseScript(Path.Combine(_directory, "missing.sh"), new Dictionary<string, string>(), NullLogger.Instance)
            .RunAsync(LeaseEvent.Bound, "eth0", LeaseFileTests.SampleLease(), null, CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
