package io.djlgather.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.djlgather.ext.spi.GatherRuntimes;
import io.djlgather.ext.spi.GatherRuntime;

import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;
import java.util.stream.Collectors;

@SuppressWarnings("try") // scopes are opened for their effect on the thread
class RegistrationTest {

    @Test
    void serviceLoaderFindsTheCudaRuntime() {
        var found = ServiceLoader.load(GatherRuntime.class).stream()
                .map(ServiceLoader.Provider::type)
                .collect(Collectors.toList());
        assertTrue(found.contains(CudaGatherRuntime.class), found.toString());
        assertTrue(GatherRuntimes.providers().stream().anyMatch(r -> r instanceof CudaGatherRuntime));
    }

    @Test
    void itGovernsEveryGpuAndNoCpu() {
        for (int n = 0; n < 4; n++) {
            assertInstanceOf(CudaGatherRuntime.class, GatherRuntimes.forDevice(Device.gpu(n)));
        }
        assertFalse(GatherRuntimes.forDevice(Device.cpu()) instanceof CudaGatherRuntime);
        CudaGatherRuntime runtime = new CudaGatherRuntime();
        assertTrue(runtime.supports(Device.gpu()));
        assertFalse(runtime.supports(Device.cpu()));
        assertFalse(runtime.supports(null));
    }

    @Test
    void deterministicSumsFollowThePolicy() {
        CudaGatherRuntime runtime = new CudaGatherRuntime();
        assertFalse(runtime.deterministicSums(Device.gpu()));
        try (CudaPolicies.Scope det = CudaPolicies.deterministic(true)) {
            assertTrue(runtime.deterministicSums(Device.gpu()));
        }
    }

    @Test
    void aNullPredicateIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new CudaGatherRuntime(null));
        assertEquals("CudaGatherRuntime: devices is null; expected a value, got null",
                e.getMessage());
    }
}
