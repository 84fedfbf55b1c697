using System.Runtime.CompilerServices;

// Tests reach the loading fix's ELF code directly (crafted libraries, loader messages).
[assembly: InternalsVisibleTo("Composer.Runtime.Tests")]
