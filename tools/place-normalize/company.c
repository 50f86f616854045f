/* company.c: company structure (stub). */
#include "common/errors.h"
#include "tools/place-normalize/company.h"

int
company_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die("company: not implemented");
}
