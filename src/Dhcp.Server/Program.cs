using System.CommandLine;
using NetLab.Hosts.DhcpServer;

var root = new RootCommand("dhcp-server: a DHCPv4 server on raw frames (RFC 2131/2132), dnsmasq-style logs, JSON Lines lease file");
ServeCommand.AddTo(root);
root.Subcommands.Add(LeasesCommand.Create());
return await root.Parse(args).InvokeAsync();
