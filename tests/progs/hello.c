/* hello: the lines the tracer's log must print, made by the calls below. */
#include <unistd.h>

int main(void)
{
	if (write(STDOUT_FILENO, "hello\n", 6) != 6)
		return 1;
	if (write(STDOUT_FILENO, "tab\there \"q\" \\ end", 18) != 18)
		return 1;
	return write(-1, "x", 1) == -1 ? 0 : 1;
}
