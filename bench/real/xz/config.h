/* config.h — the config.h of liblzma for wasm32-wasi (what ./configure would find): single
 * threaded, every encoder/decoder and check built in, generic C CRC code. */
#define HAVE_STDBOOL_H 1
#define HAVE__BOOL 1
#define HAVE_STDINT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_STRING_H 1
#define HAVE_LIMITS_H 1
#define SIZEOF_SIZE_T 4
#define HAVE_CHECK_CRC32 1
#define HAVE_CHECK_CRC64 1
#define HAVE_CHECK_SHA256 1
#define HAVE_ENCODERS 1
#define HAVE_DECODERS 1
#define HAVE_ENCODER_LZMA1 1
#define HAVE_ENCODER_LZMA2 1
#define HAVE_DECODER_LZMA1 1
#define HAVE_DECODER_LZMA2 1
#define HAVE_ENCODER_DELTA 1
#define HAVE_DECODER_DELTA 1
#define HAVE_ENCODER_X86 1
#define HAVE_DECODER_X86 1
#define HAVE_MF_HC3 1
#define HAVE_MF_HC4 1
#define HAVE_MF_BT2 1
#define HAVE_MF_BT3 1
#define HAVE_MF_BT4 1
#define HAVE_VISIBILITY 0
#define TUKLIB_SYMBOL_PREFIX lzma_
#define ASSUME_RAM 128
#define PACKAGE_NAME "XZ Utils"
#define PACKAGE_URL "https://tukaani.org/xz/"
/* wasi-libc has no signal masks; liblzma's single-threaded mythread_sigmask() is never called by
 * the one-shot buffer API but must compile. */
typedef unsigned long sigset_t;
#define sigprocmask(how, set, oset) 0
