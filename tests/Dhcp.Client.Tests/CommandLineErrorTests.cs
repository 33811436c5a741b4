using NetLab.Testing;

namespace Dhcp.Client.Tests;

/// <summary>dhcp-client refuses to start with a message that says what is wrong and what to do.</summary>
public class CommandLineErrorTests
{
    [RootFact("ip")]
    public void UnknownInterface_NamesTheInterfacesThatExist()
    {
        using var lab = ClientLab.Pair();
        var result = lab.RunClient("eth9");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no interface named 'eth9' in this network namespace (interfaces here: eth0, lo)", result.Stderr);
    }

    [RootFact("ip")]
    public void InterfaceDown_SaysHowToBringItUp()
    {
        using var lab = ClientLab.Pair();
        lab.Client.Exec("ip", "link", "set", "eth0", "down");
        var result = lab.RunClient(lab.ClientArgs());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("eth0 is down; bring it up first: ip link set eth0 up", result.Stderr);
    }

    [RootFact("ip", "setpriv")]
    public void NotRoot_SaysItNeedsRoot()
    {
        using var lab = ClientLab.Pair();
        // An unprivileged user keeps no capabilities; the runtime needs a writable home for its caches.
        var result = lab.Client.Run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
            "env", $"HOME={lab.Directory}", "DOTNET_CLI_HOME=" + lab.Directory, "dotnet", Repo.ProgramDll("dhcp-client"), "eth0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dhcp-client needs root", result.Stderr);
    }

    [Theory]
    [InlineData("--timeout", "soon", "--timeout: 'soon' is not a duration")]
    [InlineData("--requested-ip", "10.9.0", "--requested-ip: '10.9.0' is not an IPv4 address")]
    [InlineData("--hostname", "bad name", "--hostname: 'bad name' is not a host name")]
    [InlineData("--retries", "-1", "--retries must be between 0 and 100")]
    public void BadFlagValue_ExplainsTheExpectedForm(string flag, string value, string message)
    {
        var result = Shell.Run("dotnet", [Repo.ProgramDll("dhcp-client"), "eth0", flag, value], TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
    }
}
