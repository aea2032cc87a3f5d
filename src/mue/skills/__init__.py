"""Skills and digital culture: the DigComp 2.2 framework, people's assessed levels, the levels
services and roles require, the team heat map and the bus factor of critical services."""
