/** The samples' DJL model zoo (group io.djlgather.samples), registered through ZooProvider and ServiceLoader. */
package io.djlgather.samples.zoo;
