using System.Runtime.InteropServices;

namespace NetLab.Hosts.DhcpServer;

internal static partial class NativePrivileges
{
    public static bool IsRoot => GetEffectiveUserId() == 0;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
