using System.Reflection;
using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>Loading of libpcap and the helpers every native call group shares. The declarations live in
/// one file per function group (PcapNative.*.cs) and all use the logical library name "pcap", which the
/// resolver registered here maps to the versioned name Debian installs.</summary>
internal static unsafe partial class PcapNative
{
    /// <summary>Logical name used by every <c>[LibraryImport]</c>; resolved by <see cref="Resolve"/>.</summary>
    internal const string LibraryName = "pcap";

    /// <summary>Debian's libpcap0.8 package installs this name (it is libpcap 1.x despite the number).</summary>
    internal const string DebianLibraryFile = "libpcap.so.0.8";

    /// <summary>Tried in order: Debian's name, the upstream soname, then the development symlink.</summary>
    internal static readonly string[] LibraryFiles = [DebianLibraryFile, "libpcap.so.1", "libpcap.so"];

    /// <summary>PCAP_ERRBUF_SIZE from pcap/pcap.h.</summary>
    internal const int ErrorBufferSize = 256;

    private static readonly Lazy<nint> s_library = new(LoadLibrary);

    static PcapNative() => NativeLibrary.SetDllImportResolver(typeof(PcapNative).Assembly, Resolve);

    /// <summary>Throws a <see cref="PcapException"/> that says how to install libpcap when it cannot be loaded,
    /// instead of the runtime's generic DllNotFoundException on the first call.</summary>
    internal static void EnsureLoaded()
    {
        if (s_library.Value == 0)
        {
            throw new PcapException(PcapErrorKind.Other,
                $"libpcap is not installed (looked for {string.Join(", ", LibraryFiles)}); install it with `apt-get install libpcap0.8`");
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibraryName ? s_library.Value : 0;

    private static nint LoadLibrary()
    {
        foreach (string file in LibraryFiles)
        {
            if (NativeLibrary.TryLoad(file, out nint handle))
            {
                return handle;
            }
        }
        return 0;
    }

    /// <summary>The NUL-terminated text libpcap wrote into an error buffer of <see cref="ErrorBufferSize"/> bytes.</summary>
    internal static string ErrorText(byte* errorBuffer)
    {
        var text = new ReadOnlySpan<byte>(errorBuffer, ErrorBufferSize);
        int end = text.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
    }

    /// <summary>A C string owned by libpcap (never freed by us), as managed text.</summary>
    internal static string StaticText(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";
}
