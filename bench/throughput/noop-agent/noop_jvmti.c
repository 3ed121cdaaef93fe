/*
 * A native JVMTI agent that does nothing but exist: it takes a JVMTI environment and returns.
 * Against no agent it shows what the mere presence of a JVMTI environment costs, apart from
 * java.lang.instrument (the java.instrument module, libinstrument's capabilities, premain).
 */
#include <jvmti.h>

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    jvmtiEnv *jvmti = NULL;
    (void) options;
    (void) reserved;
    return (*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2) == JNI_OK ? JNI_OK : JNI_ERR;
}
